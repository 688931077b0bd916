using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Invariant 7 across processes when a write lands while a miss is on the database: the leader in process A holds the
/// entry's Redis lock under the versions from before the write, so its rows can no longer be stored. The misses that
/// come after the write, in other processes, must not queue behind that lock — waiting for a leader whose rows they
/// cannot have — but form a stampede of their own, led by one of them.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CrossProcessStampedeAfterWriteTests(RedisServerFixture redis)
{
    private const int CallersPerProcess = 4;

    [Fact]
    public async Task Misses_after_a_write_in_other_processes_do_not_wait_for_a_leader_that_read_before_it()
    {
        using var shop = new ShopHarness(redis);
        var slow = new SlowDatabase { Delay = TimeSpan.FromMilliseconds(300), HangFirst = 1, HangFor = TimeSpan.FromSeconds(6) };
        await using var processA = redis.CreateConnection();
        await using var processB = redis.CreateConnection();
        await using var processC = redis.CreateConnection();
        Action<RedisCacheAsideOptions> configure = o => o.StampedeWaitTimeout = TimeSpan.FromSeconds(8);
        var inA = ResilienceKit.Options(shop, processA, configure, slow);
        var inB = ResilienceKit.Options(shop, processB, configure, slow);
        var inC = ResilienceKit.Options(shop, processC, configure, slow);

        var before = Task.Run(() => ReadAsync(inA)); // the leader: holds the lock, on the database for 6 s
        Assert.True(slow.Hanging.Wait(TimeSpan.FromSeconds(10)), "the leader never reached the database");
        await using (var writer = shop.NewContext(processA))
        {
            await writer.Products.Where(p => p.Id == ShopSeed.MouseId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 77));
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        shop.Counter.Reset();
        var watch = Stopwatch.StartNew();
        var after = await Task.WhenAll(new[] { inB, inC }
            .SelectMany(options => Enumerable.Range(0, CallersPerProcess).Select(_ => Task.Run(() => ReadAsync(options)))));
        var waited = watch.Elapsed;
        var queries = shop.Counter.Queries;
        await before;

        Assert.All(after, rows => Assert.Equal(truth, rows));
        Assert.True(waited < TimeSpan.FromSeconds(3), $"the misses after the write took {waited.TotalMilliseconds:0} ms: they waited for the leader that read before it");
        Assert.True(queries <= 2, $"{2 * CallersPerProcess} misses after the write in two processes cost {queries} database queries");
    }

    /// <summary>
    /// A stampede lock key holding another type than a string (another writer under the prefix, a foreign format), or a
    /// string without an expiry (copied by a tool that drops expiries, made persistent by hand), is nobody's lock and
    /// never goes away: read as held, it made every miss of the entry, in every process, wait the whole
    /// <c>StampedeWaitTimeout</c> before querying the database, and the entry was never stored again. The lookup
    /// replaces it, as it does an entry or version key of another type.
    /// </summary>
    [Theory]
    [InlineData("hash")]
    [InlineData("string without expiry")]
    public async Task A_lock_key_that_is_nobodys_lock_is_taken_rather_than_waited_for(string foreign)
    {
        using var shop = new ShopHarness(redis);
        var inA = ResilienceKit.Options(shop, redis.Connection, o =>
        {
            o.StampedeWaitTimeout = TimeSpan.FromSeconds(4);
            o.LocalCacheMaxBytes = 0; // every read asks Redis
        });
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(inA));
        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix).Length == 1), TimeSpan.FromSeconds(5)), "the first read should have stored its entry");
        var entry = Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));

        var database = redis.Connection.GetDatabase();
        await database.KeyDeleteAsync(entry);
        var lockKey = entry.ToString().Replace(":q:", ":lock:", StringComparison.Ordinal);
        if (foreign == "hash")
        {
            await database.HashSetAsync(lockKey, "foreign", "value");
        }
        else
        {
            await database.StringSetAsync(lockKey, "copied without its expiry"); // every lock the cache writes expires
        }

        for (var read = 0; read < 2; read++)
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal(truth, await ReadAsync(inA));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"read {read} took {watch.ElapsedMilliseconds} ms: it waited for a lock key that is nobody's lock");
        }

        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix).Length == 1), TimeSpan.FromSeconds(5)), "the entry was not stored again");
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return await ResilienceKit.ProductRowsAsync(context, cached: true);
    }
}
