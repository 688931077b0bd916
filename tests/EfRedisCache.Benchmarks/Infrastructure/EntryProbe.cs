using EfRedisCache.Benchmarks.Model;
using EfRedisCache.Keys;
using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// Finds the Redis entry EfRedisCache stores for a workload: the query runs once under a key prefix of its
/// own, so the only entry key under that prefix is the one. Entry keys are hashes the library keeps internal.
/// </summary>
public static class EntryProbe
{
    /// <summary>
    /// The workload's entry, as <see cref="FindAsync"/>, and a copy of its payload as a plain string value at
    /// <c>bench:raw:{workload}</c>: what the "GET of the same bytes" variants read.
    /// </summary>
    public static async Task<(RedisKey Key, byte[] Payload, RedisKey RawCopy)> FindWithRawCopyAsync(Workload workload)
    {
        var (key, payload, _) = await FindAsync(workload).ConfigureAwait(false);
        RedisKey rawCopy = $"bench:raw:{workload}";
        await BenchEnvironment.Redis.GetDatabase().StringSetAsync(rawCopy, payload).ConfigureAwait(false);
        return (key, payload, rawCopy);
    }

    public static async Task<(RedisKey Key, byte[] Payload, long HashBytes)> FindAsync(Workload workload)
    {
        var prefix = $"probe-{workload}-{Guid.NewGuid():N}";
        var options = BenchEnvironment.Sqlite(b => BenchEnvironment.CacheAside(b, prefix));
        await using (var db = new BenchContext(options))
        {
            await Queries.RunAsync(db, workload, cacheable: true).ConfigureAwait(false);
        }

        var server = BenchEnvironment.Redis.GetServers()[0];
        var database = BenchEnvironment.Redis.GetDatabase();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // The store is fire-and-forget: poll until the entry is there.
            foreach (var key in server.Keys(pattern: $"{ClusterHashTag.KeyStart(prefix)}:q:*"))
            {
                var fields = await database.HashGetAllAsync(key).ConfigureAwait(false);
                var payload = fields.FirstOrDefault(f => f.Name == "d").Value;
                if (!payload.IsNull)
                {
                    return (key, (byte[])payload!, fields.Sum(f => (long)((byte[])f.Name!).Length + ((byte[])f.Value!).Length));
                }
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"EfRedisCache stored no entry for {workload}.");
    }

    /// <summary>The key the library's hit path deletes to prove a primary answered (RedisKeyNames.PrimaryProbe), for the entry's prefix.</summary>
    public static RedisKey PrimaryProbeOf(RedisKey entry)
    {
        var entryName = (string)entry!;
        return new RedisKeyNames(entryName[..entryName.IndexOf(":q:", StringComparison.Ordinal)]).PrimaryProbe; // a key start holds its hash tag
    }

    /// <summary>
    /// The entry's own dependency keys in the order the library sends them (QueryPlanner): global epoch,
    /// database epoch, then the rest (tables, or bulk epoch + row version for a key lookup). The order of the
    /// rest is found by trying until the library's hit probe hits.
    /// </summary>
    public static RedisKey[] FindDependencies(RedisKey entry, byte[] payload)
    {
        var entryName = (string)entry!;
        var prefix = entryName[..entryName.IndexOf(":q:", StringComparison.Ordinal)];
        var redis = BenchEnvironment.Redis.GetDatabase();
        var versionKeys = BenchEnvironment.Redis.GetServers()[0].Keys(pattern: $"{prefix}:v:*").Select(k => (string)k!).ToList();
        var head = versionKeys.Where(k => k.EndsWith(":v:all", StringComparison.Ordinal)).Concat(versionKeys.Where(k => k.EndsWith(":e", StringComparison.Ordinal))).ToList();
        var rest = versionKeys.Except(head).ToList();
        foreach (var order in Permutations(rest))
        {
            RedisKey[] dependencies = [.. head.Concat(order).Select(k => (RedisKey)k)];
            if (RedisCacheStore.TryHitAsync(redis, entry, dependencies, PrimaryProbeOf(entry)).GetAwaiter().GetResult() is { Payload: { } found }
                && found.AsSpan().SequenceEqual(payload))
            {
                return dependencies;
            }
        }

        throw new InvalidOperationException($"The hit probe did not hit {entryName} (version keys: {string.Join(", ", versionKeys)}).");
    }

    private static IEnumerable<List<string>> Permutations(List<string> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var others = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(others))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
