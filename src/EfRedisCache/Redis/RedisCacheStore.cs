using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The three operations of the version-stamp protocol against Redis: look up an entry with its dependency
/// versions, store an entry if no dependency changed, bump versions. Sync and async share one code path.
/// Exceptions propagate; the callers decide how to fail open.
/// </summary>
internal static class RedisCacheStore
{
    public static async ValueTask<LookupResult> LookupAsync(IDatabase database, RedisKey entry, RedisKey[] dependencies, bool async)
    {
        var keys = new RedisKey[dependencies.Length + 1];
        keys[0] = entry;
        dependencies.CopyTo(keys, 1);
        var seeds = VersionSeeds.Create(dependencies.Length);
        var result = async
            ? await database.ScriptEvaluateAsync(RedisScripts.Lookup, keys, seeds).ConfigureAwait(false)
            : database.ScriptEvaluate(RedisScripts.Lookup, keys, seeds);
        var parts = (RedisResult[])result!;
        var versions = (RedisValue)parts[0];
        return parts.Length > 1 ? new LookupResult(versions, (byte[]?)parts[1]) : new LookupResult(versions, null);
    }

    /// <summary>Fire-and-forget: the caller already has its rows, and nothing waits on the store.</summary>
    public static void Store(IDatabase database, RedisKey entry, RedisKey[] dependencies, RedisValue versions, byte[] payload, TimeSpan ttl)
    {
        var keys = new RedisKey[dependencies.Length + 1];
        keys[0] = entry;
        dependencies.CopyTo(keys, 1);
        RedisValue[] args = [versions, payload, (long)Math.Ceiling(ttl.TotalMilliseconds)];
        database.ScriptEvaluate(RedisScripts.Store, keys, args, CommandFlags.FireAndForget);
    }

    public static async ValueTask BumpAsync(IDatabase database, RedisKey[] versionKeys, bool async)
    {
        var seeds = VersionSeeds.Create(versionKeys.Length);
        if (async)
        {
            await database.ScriptEvaluateAsync(RedisScripts.Bump, versionKeys, seeds).ConfigureAwait(false);
        }
        else
        {
            database.ScriptEvaluate(RedisScripts.Bump, versionKeys, seeds);
        }
    }

    public static void Delete(IDatabase database, RedisKey entry)
        => database.KeyDelete(entry, CommandFlags.FireAndForget);
}
