using System.Diagnostics;
using System.Globalization;
using EfRedisCache.Benchmarks.Infrastructure;
using EfRedisCache.Benchmarks.Model;
using EfRedisCache.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Load;

/// <summary>
/// One SaveChanges of many rows (added, then modified, then deleted) through a cached context on the default 500 ms
/// budget: the keys its invalidation script carries, how long the script ran inside Redis (every other client waits
/// meanwhile; <c>SLOWLOG</c>), the bytes Redis received during the save (<c>total_net_input_bytes</c>), whether the
/// bump fitted the budget (or the process was left with pending invalidations, bypassing the cache), and the save's
/// time beside the same save through an uncached context. Modified rows are saved with a version key for every one of
/// them already in Redis (each row was looked up before), the bump's worst case: INCR instead of EXISTS.
/// </summary>
internal static class LargeSaves
{
    private const int FirstId = 1_000_000;

    public static async Task RunAsync(IReadOnlyList<int> sizes)
    {
        var redis = BenchEnvironment.Redis;
        var server = redis.GetServers()[0];
        await server.ExecuteAsync("CONFIG", "SET", "slowlog-log-slower-than", "0");
        await server.ExecuteAsync("CONFIG", "SET", "slowlog-max-len", "4096");
        Console.WriteLine("| database | rows | save | keys in the bump | script in Redis (ms) | bytes to Redis | pending after the save | next cached query | save cached (ms) | save uncached (ms) |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |");
        foreach (var (name, options) in new[] { ("SQLite", (Func<Action<DbContextOptionsBuilder<BenchContext>>?, DbContextOptions<BenchContext>>)BenchEnvironment.Sqlite), ("PostgreSQL", BenchEnvironment.Postgres) })
        {
            foreach (var rows in sizes)
            {
                var prefix = "large" + Guid.NewGuid().ToString("N")[..8];
                var cached = options(b => BenchEnvironment.CacheAside(b, prefix));
                var uncached = options(null);
                foreach (var kind in new[] { "add", "update", "delete" })
                {
                    var plain = await TimeAsync(() => SaveAsync(uncached, kind, rows, FirstId + rows));
                    if (kind == "update")
                    {
                        await SeedRowVersionsAsync(cached, prefix, rows);
                    }

                    await server.ExecuteAsync("SLOWLOG", "RESET");
                    var inputBefore = await NetInputBytesAsync(server);
                    var clock = Stopwatch.StartNew();
                    await SaveAsync(cached, kind, rows, FirstId);
                    var saved = clock.Elapsed;
                    var input = await NetInputBytesAsync(server) - inputBefore;
                    var (keys, micros) = await LargestScriptAsync(server);
                    var pending = PendingOf(cached);
                    var next = await NextQueryAsync(cached);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {rows:N0} | {kind} | {keys:N0} | {micros / 1000.0:N1} | {input:N0} | {(pending ? "yes" : "no")} | {next} | {saved.TotalMilliseconds:N0} | {plain.TotalMilliseconds:N0} |"));
                }
            }
        }
    }

    private static async Task SaveAsync(DbContextOptions<BenchContext> options, string kind, int rows, int firstId)
    {
        await using var context = new BenchContext(options);
        switch (kind)
        {
            case "add":
                var created = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                context.Products.AddRange(Enumerable.Range(firstId, rows).Select(id => new Product { Id = id, Name = $"Bulk {id}", Description = "imported", Price = 1m, Stock = 1, CreatedUtc = created, CategoryId = 1 }));
                break;
            case "update":
                foreach (var product in await context.Products.NotCacheable().Where(p => p.Id >= firstId && p.Id < firstId + rows).ToListAsync())
                {
                    product.Stock++;
                }

                break;
            default:
                context.Products.RemoveRange(await context.Products.NotCacheable().Where(p => p.Id >= firstId && p.Id < firstId + rows).ToListAsync());
                break;
        }

        await context.SaveChangesAsync();
    }

    /// <summary>Looks one row up (so Redis holds its version key) and gives every other saved row a version key of the same shape.</summary>
    private static async Task SeedRowVersionsAsync(DbContextOptions<BenchContext> options, string prefix, int rows)
    {
        await using (var context = new BenchContext(options))
        {
            await context.Products.Cacheable().FirstOrDefaultAsync(p => p.Id == FirstId);
        }

        var server = BenchEnvironment.Redis.GetServers()[0];
        var first = server.Keys(pattern: $"*{prefix}*:r:{FirstId}").Single().ToString();
        var stem = first[..^FirstId.ToString(CultureInfo.InvariantCulture).Length];
        var database = BenchEnvironment.Redis.GetDatabase();
        var batch = database.CreateBatch();
        var sets = Enumerable.Range(FirstId, rows).Select(id => batch.StringSetAsync(stem + id.ToString(CultureInfo.InvariantCulture), 1_000_000 + id, TimeSpan.FromHours(1))).ToList();
        batch.Execute();
        await Task.WhenAll(sets);
    }

    private static async Task<long> NetInputBytesAsync(IServer server)
    {
        var info = (await server.InfoAsync("stats")).SelectMany(g => g).Single(p => p.Key == "total_net_input_bytes");
        return long.Parse(info.Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The script with the most keys the save sent, read from SLOWLOG (every command is logged).</summary>
    private static async Task<(int Keys, long Micros)> LargestScriptAsync(IServer server)
    {
        var best = (Keys: 0, Micros: 0L);
        foreach (var trace in await server.SlowlogGetAsync(4096))
        {
            var arguments = trace.Arguments;
            if (arguments.Length > 2 && ((string?)arguments[0])?.StartsWith("EVAL", StringComparison.OrdinalIgnoreCase) == true
                && int.TryParse((string?)arguments[2], CultureInfo.InvariantCulture, out var keys) && keys > best.Keys)
            {
                best = (keys, (long)trace.Duration.TotalMicroseconds);
            }
        }

        return best;
    }

    private static bool PendingOf(DbContextOptions<BenchContext> options)
    {
        using var context = new BenchContext(options);
        return context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime.PendingInvalidations.HasPending;
    }

    /// <summary>A cached list read right after the save, and again (up to 10 times, 20 ms apart: the store is fire-and-forget) until a read is a hit.</summary>
    private static async Task<string> NextQueryAsync(DbContextOptions<BenchContext> options)
    {
        using var counter = new HitCounter();
        for (var i = 0; i < 10 && counter.Hits == 0; i++)
        {
            await using var context = new BenchContext(options);
            await context.Products.Cacheable().Where(p => p.CategoryId == 2).OrderBy(p => p.Id).ToListAsync();
            await Task.Delay(20);
        }

        return counter.Hits > 0 ? "hit" : "bypassed";
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }
}
