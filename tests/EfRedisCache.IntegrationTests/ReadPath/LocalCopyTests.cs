using System.Diagnostics;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Results kept in process (<see cref="RedisCacheAsideOptions.LocalCacheMaxBytes"/>): a hit on one reads only
/// its versions from Redis, and it answers a query only while Redis confirms them — a write from any process,
/// a lost version key, an expired entry or a Redis that does not answer all send the query elsewhere.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class LocalCopyTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_kept_result_answers_hits_without_reading_the_payload_and_a_write_in_another_process_ends_it()
    {
        using var localHits = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.local_hits");
        using var shop = new ShopHarness(redis);
        await using var processB = redis.CreateConnection();
        var truth = await ResilienceKit.TruthAsync(shop);
        await WarmAsync(shop, truth);

        // Garbage where the rows were: a hit that read the payload would be a miss now (or a wrong row).
        var entry = Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        await redis.Connection.GetDatabase().HashSetAsync(entry, "d", new byte[] { 1, 2, 3 });
        var before = localHits.GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(truth, await ReadAsync(shop, expectedDatabaseQueries: 0));
        Assert.True(localHits.GetMeasurementSnapshot().Sum(m => m.Value) > before, "the hit should have been answered by the kept rows");

        await using (var writerInB = shop.NewContext(processB))
        {
            (await writerInB.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Price = 23m;
            await writerInB.SaveChangesAsync();
        }

        var fresh = await ResilienceKit.TruthAsync(shop);
        Assert.NotEqual(truth, fresh);
        Assert.Equal(fresh, await ReadAsync(shop, expectedDatabaseQueries: 1));
    }

    [Fact]
    public async Task Every_kind_of_invalidation_ends_a_kept_result()
    {
        using var shop = new ShopHarness(redis);
        var invalidations = new (string Name, Func<ShopContext, Task> Invalidate)[]
        {
            ("ExecuteUpdate", c => c.Products.Where(p => p.Id == ShopSeed.KeyboardId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1))),
            ("raw SQL", c => c.Database.ExecuteSqlRawAsync("UPDATE Products SET Stock = Stock + 1 WHERE Id = 2")),
            ("InvalidateEntityAsync", c => c.GetCacheInvalidator().InvalidateEntityAsync<Product>()),
            ("InvalidateAllAsync", c => c.GetCacheInvalidator().InvalidateAllAsync()),
        };

        foreach (var (name, invalidate) in invalidations)
        {
            await WarmAsync(shop, await ResilienceKit.TruthAsync(shop), step: $"warm before {name}");
            await using (var context = shop.NewContext())
            {
                await invalidate(context);
            }

            var before = shop.Counter.Queries;
            Assert.Equal(await ResilienceKit.TruthAsync(shop), await ReadAsync(shop));
            Assert.True(shop.Counter.Queries > before, $"{name}: the read after the invalidation was answered by the kept rows");
        }
    }

    [Fact]
    public async Task Kept_rows_are_never_served_while_Redis_does_not_answer()
    {
        using var connection = ResilienceKit.FastConnection(redis);
        using var admin = redis.CreateConnection();
        using var shop = new ShopHarness(redis, o => o.RedisTimeout = TimeSpan.FromMilliseconds(200), connection);
        await WarmAsync(shop, await ResilienceKit.TruthAsync(shop));

        // A write the cache cannot see (another application, a DBA): only the database knows.
        await using (var outside = shop.NewUncachedContext())
        {
            await outside.Database.ExecuteSqlRawAsync("UPDATE Products SET Name = 'Renamed outside' WHERE Id = 1");
        }

        // ALL pauses every client, an UNPAUSE included: the test waits the pause out instead.
        var paused = Stopwatch.StartNew();
        await ResilienceKit.Server(admin).ExecuteAsync("CLIENT", "PAUSE", "1500", "ALL");

        // Redis cannot confirm the kept rows' versions: the query goes to the database, whose rows show the rename.
        var rows = await ReadAsync(shop, expectedDatabaseQueries: 1);
        Assert.True(paused.Elapsed < TimeSpan.FromMilliseconds(1400), "the pause ended before the read was tested");
        await Task.Delay(TimeSpan.FromMilliseconds(1700) - paused.Elapsed);
        Assert.Equal(await ResilienceKit.TruthAsync(shop), rows);
    }

    [Fact]
    public async Task Lost_version_keys_end_a_kept_result()
    {
        using var shop = new ShopHarness(redis);
        await WarmAsync(shop, await ResilienceKit.TruthAsync(shop));
        await using (var outside = shop.NewUncachedContext())
        {
            await outside.Database.ExecuteSqlRawAsync("UPDATE Products SET Name = 'Renamed outside' WHERE Id = 1");
        }

        // Eviction or a restart without persistence: the versions the rows were kept under are gone, and the
        // lookup recreates them with random values no kept result can match.
        var database = redis.Connection.GetDatabase();
        foreach (var key in ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":v:*"))
        {
            await database.KeyDeleteAsync(key);
        }

        Assert.Equal(await ResilienceKit.TruthAsync(shop), await ReadAsync(shop, expectedDatabaseQueries: 1));
    }

    [Fact]
    public async Task A_kept_result_outlives_its_Redis_entry_only_until_the_entry_would_have_expired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var shop = new ShopHarness(redis, o => o.TimeProvider = time);
        var truth = await ResilienceKit.TruthAsync(shop);
        await WarmAsync(shop, truth, TimeSpan.FromMinutes(1));

        // Evicted from Redis (maxmemory): the kept rows are still valid by their versions.
        var entry = Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        await redis.Connection.GetDatabase().KeyDeleteAsync(entry);
        Assert.Equal(truth, await ReadAsync(shop, TimeSpan.FromMinutes(1), expectedDatabaseQueries: 0));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(truth, await ReadAsync(shop, TimeSpan.FromMinutes(1), expectedDatabaseQueries: 1));
    }

    [Fact]
    public async Task An_application_writing_into_a_kept_byte_array_does_not_change_the_next_hit()
    {
        using var shop = new ShopHarness(redis);
        byte[]?[] Images(ShopContext c) => [.. c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList().Select(p => p.Image)];
        for (var i = 0; i < 2; i++)
        {
            await using var warm = shop.NewContext();
            Images(warm);
        }

        await using (var context = shop.NewContext())
        {
            var images = Images(context);
            Assert.Equal([0x00, 0xFF, 0x10, 0x80], images[0]);
            images[0]![0] = 0x42; // an application editing an entity's array in place, without saving
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal([0x00, 0xFF, 0x10, 0x80], Images(context)[0]);
        }
    }

    [Fact]
    public async Task With_LocalCacheMaxBytes_zero_every_hit_reads_its_rows_from_Redis()
    {
        using var shop = new ShopHarness(redis, o => o.LocalCacheMaxBytes = 0);
        var truth = await ResilienceKit.TruthAsync(shop);
        await WarmAsync(shop, truth);
        var entry = Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        await redis.Connection.GetDatabase().HashSetAsync(entry, "d", new byte[] { 1, 2, 3 });

        Assert.Equal(truth, await ReadAsync(shop, expectedDatabaseQueries: 1)); // the garbage was read: a miss
    }

    /// <summary>A miss, then a hit from Redis, which keeps the rows.</summary>
    private static async Task WarmAsync(ShopHarness shop, List<string> truth, TimeSpan? ttl = null, string step = "warm")
    {
        Assert.Equal(truth, await ReadAsync(shop, ttl));
        Assert.Equal(truth, await ReadAsync(shop, ttl, expectedDatabaseQueries: 0, step));
    }

    private static async Task<List<string>> ReadAsync(ShopHarness shop, TimeSpan? ttl = null, int? expectedDatabaseQueries = null, string step = "read")
    {
        var before = shop.Counter.Queries;
        await using var context = shop.NewContext();
        var rows = await ResilienceKit.ProductRowsAsync(context, cached: true, ttl);
        if (expectedDatabaseQueries is { } expected)
        {
            Assert.True(expected == shop.Counter.Queries - before, $"{step}: expected {expected} database queries, saw {shop.Counter.Queries - before}");
        }

        return rows;
    }
}
