using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The operations of the version-stamp protocol against Redis. Each returns the client's task; the caller
/// bounds the wait through <see cref="RedisAccess"/>.
/// </summary>
internal static class RedisCacheStore
{
    public static async Task<LookupResult> LookupAsync(IDatabase database, RedisKey entry, RedisKey lockKey, RedisKey[] dependencies, RedisValue lockToken, long lockMilliseconds)
    {
        var keys = new RedisKey[dependencies.Length + 2];
        keys[0] = entry;
        keys[1] = lockKey;
        dependencies.CopyTo(keys, 2);
        var args = new RedisValue[dependencies.Length + 2];
        args[0] = lockToken;
        args[1] = lockMilliseconds;
        VersionSeeds.Fill(args.AsSpan(2));
        var result = await database.ScriptEvaluateAsync(RedisScripts.Lookup, keys, args).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var payload = parts[1].IsNull ? null : (byte[]?)parts[1];
        return new LookupResult((RedisValue)parts[0], payload, parts[2].IsNull ? RedisValue.Null : (RedisValue)parts[2], (long)parts[3] == 1);
    }

    /// <summary>Fire-and-forget: the caller already has its rows, and nothing waits on the store.</summary>
    public static void Store(IDatabase database, RedisKey entry, RedisKey lockKey, RedisKey[] dependencies, RedisValue versions, byte[] payload, TimeSpan ttl, RedisValue meta, RedisValue lockToken)
    {
        var keys = new RedisKey[dependencies.Length + 2];
        keys[0] = entry;
        keys[1] = lockKey;
        dependencies.CopyTo(keys, 2);
        RedisValue[] args = [versions, payload, (long)Math.Ceiling(ttl.TotalMilliseconds), meta, lockToken];
        database.ScriptEvaluate(RedisScripts.Store, keys, args, CommandFlags.FireAndForget);
    }

    public static void ReleaseLock(IDatabase database, RedisKey lockKey, RedisValue lockToken)
        => database.ScriptEvaluate(RedisScripts.ReleaseLock, [lockKey], [lockToken], CommandFlags.FireAndForget);

    public static Task<RedisResult> BumpAsync(IDatabase database, RedisKey[] versionKeys)
    {
        var seeds = new RedisValue[versionKeys.Length];
        VersionSeeds.Fill(seeds);
        return database.ScriptEvaluateAsync(RedisScripts.Bump, versionKeys, seeds);
    }

    public static void Delete(IDatabase database, RedisKey entry)
        => database.KeyDelete(entry, CommandFlags.FireAndForget);
}
