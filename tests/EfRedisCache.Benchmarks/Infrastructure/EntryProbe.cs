using EfRedisCache.Benchmarks.Model;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// Finds the Redis entry EfRedisCache stores for a workload: the query runs once under a key prefix of its
/// own, so the only entry key under that prefix is the one. Entry keys are hashes the library keeps internal.
/// </summary>
public static class EntryProbe
{
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
            foreach (var key in server.Keys(pattern: $"{prefix}:q:*"))
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
}
