using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// The cache on a real three-node Redis Cluster (DESIGN.md, "Redis layout"): a lookup script reads an entry
/// and its versions together, which a cluster allows only within one hash slot, so every key of a cache
/// carries its prefix as a hash tag. Each test puts its prefix on a chosen node, so reads and writes reach
/// nodes other than the one a client meets first.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterTests(RedisClusterFixture cluster)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Lists_joins_and_key_lookups_are_hits_on_the_node_that_owns_the_prefix(int node)
    {
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(node));
        var truth = await ResilienceKit.TruthAsync(shop);
        for (var round = 0; round < 3; round++)
        {
            await using var context = shop.NewContext();
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true));
            Assert.Equal("Mouse", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.MouseId)).Name);
            var categories = await context.Categories.AsNoTracking().Include(c => c.Products).OrderBy(c => c.Id).Cacheable().ToListAsync();
            Assert.Equal([3, 1], categories.Select(c => c.Products.Count));
        }

        Assert.Equal(3, shop.Counter.Queries); // the first round's three misses; every later read a hit

        var keyStart = RedisServerFixture.KeyStart(shop.KeyPrefix);
        for (var n = 0; n < cluster.Ports.Count; n++)
        {
            var keys = cluster.Node(n).Keys(pattern: keyStart + "*", pageSize: 1000).Select(k => (string)k!).ToList();
            if (n == node)
            {
                Assert.Equal(3, keys.Count(k => k.StartsWith(keyStart + ":q:", StringComparison.Ordinal)));
                Assert.Contains(keys, k => k.EndsWith(":r:" + ShopSeed.MouseId, StringComparison.Ordinal));
            }
            else
            {
                Assert.Empty(keys);
            }
        }
    }

    [Fact]
    public async Task Saves_bulk_updates_raw_sql_and_manual_invalidation_are_seen_by_the_next_read()
    {
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(2));
        var writes = new (string Name, Func<ShopContext, Task> Write)[]
        {
            ("SaveChanges", async c =>
            {
                (await c.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId)).Stock += 1;
                await c.SaveChangesAsync();
            }),
            ("ExecuteUpdate", c => c.Products.Where(p => p.Id == ShopSeed.MonitorId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1))),
            ("raw SQL", c => c.Database.ExecuteSqlRawAsync($"UPDATE Products SET Stock = Stock + 1 WHERE Id = {ShopSeed.MonitorId}")),
        };

        foreach (var (name, write) in writes)
        {
            var before = await ReadTwiceAsync(shop);
            await using (var writer = shop.NewContext())
            {
                await write(writer);
            }

            var after = await ResilienceKit.TruthAsync(shop);
            Assert.NotEqual(before, after);
            shop.Counter.Reset();
            await using var reader = shop.NewContext();
            Assert.True(after.SequenceEqual(await ResilienceKit.ProductRowsAsync(reader, cached: true)), $"a read after {name} returned the rows from before it");
            Assert.Equal(1, shop.Counter.Queries);
        }

        await ReadTwiceAsync(shop);
        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateAllAsync();
        }

        shop.Counter.Reset();
        await ReadTwiceAsync(shop);
        Assert.Equal(1, shop.Counter.Queries); // InvalidateAllAsync ended the entry: one miss, then a hit
    }

    [Fact]
    public async Task Saving_one_row_keeps_the_cached_lookup_of_another_row()
    {
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(1));
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await LookUpAsync(context, ShopSeed.KeyboardId);
            await LookUpAsync(context, ShopSeed.MouseId);
        }

        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", await LookUpAsync(context, ShopSeed.KeyboardId));
            Assert.Equal(0, shop.Counter.Queries);
            Assert.Equal("Trackball", await LookUpAsync(context, ShopSeed.MouseId));
            Assert.Equal(1, shop.Counter.Queries);
        }

        static Task<string> LookUpAsync(ShopContext context, int id)
            => context.Products.Where(p => p.Id == id).Select(p => p.Name).Cacheable().SingleAsync();
    }

    [Fact]
    public async Task Kept_rows_are_confirmed_against_the_cluster_and_end_with_a_write()
    {
        using var localHits = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.local_hits");
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(0));
        var truth = await ReadTwiceAsync(shop);

        // Garbage where the rows were: only the kept rows, confirmed by the versions' MGET, can still answer.
        var entry = Assert.Single(cluster.Node(0).Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*"));
        await cluster.Connection.GetDatabase().HashSetAsync(entry, "d", new byte[] { 1, 2, 3 });
        shop.Counter.Reset();
        var before = localHits.GetMeasurementSnapshot().Sum(m => m.Value);
        await using (var context = shop.NewContext())
        {
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        Assert.Equal(0, shop.Counter.Queries);
        Assert.True(localHits.GetMeasurementSnapshot().Sum(m => m.Value) > before, "the hit should have been answered by the kept rows");

        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Price = 12.5m;
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            var rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
            Assert.Equal(await ResilienceKit.TruthAsync(shop), rows);
            Assert.NotEqual(truth, rows);
        }

        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task The_librarys_own_connection_finds_the_whole_cluster_from_one_node()
    {
        var prefix = cluster.NewKeyPrefixOnNode(2);
        using var shop = new ShopHarness(cluster.Connection, prefix);

        // Only the first node named: the cache's entries live on the third.
        var options = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside($"127.0.0.1:{cluster.Ports[0]}", o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter));
        var truth = await ResilienceKit.TruthAsync(shop);
        for (var i = 0; i < 3; i++)
        {
            await using var context = new ShopContext(options);
            Assert.Equal(truth, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        Assert.Equal(1, shop.Counter.Queries);
        Assert.NotEmpty(cluster.Node(2).Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":q:*"));
    }

    [Fact]
    public async Task Forty_concurrent_misses_cost_one_database_query()
    {
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(1));
        await ResilienceKit.AssertConcurrentMissesCostOneQueryAsync(shop, cluster.Connection, callers: 40);
    }

    [Fact]
    public async Task A_dead_node_sends_reads_and_saves_to_the_database_and_caching_resumes_when_it_returns()
    {
        const int node = 1;
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(cluster.Connection, cluster.NewKeyPrefixOnNode(node), o =>
        {
            o.LoggerFactory = loggerFactory;
            o.RedisTimeout = TimeSpan.FromMilliseconds(300);
            o.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(200);
        });
        var before = await ReadTwiceAsync(shop);
        List<string> after;
        cluster.StopNode(node);
        try
        {
            Assert.Equal(before, await ReadTwiceAsync(shop));
            await using (var writer = shop.NewContext())
            {
                (await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Name = "Second edition";
                await writer.SaveChangesAsync();
            }

            after = await ResilienceKit.TruthAsync(shop);
            Assert.NotEqual(before, after);
            Assert.Equal(after, await ReadTwiceAsync(shop));

            // The node was really gone, and the cache knew it: lookups failed, the save's invalidation waits.
            Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "LookupFailed");
            Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "InvalidationDeferred");
        }
        finally
        {
            await cluster.StartNodeAsync(node);
        }

        // Caching resumes by itself: two reads in a row cost at most the one miss that refills the entry.
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            shop.Counter.Reset();
            var rows = await ReadTwiceAsync(shop);
            Assert.Equal(after, rows);
            return shop.Counter.Queries <= 1;
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200)), "caching did not resume after the node came back");
        shop.Counter.Reset();
        Assert.Equal(after, await ReadTwiceAsync(shop));
        Assert.Equal(0, shop.Counter.Queries);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "PendingInvalidationsDelivered");
    }

    /// <summary>Reads the product list twice, so its entry is in Redis and its rows kept in process; returns the rows.</summary>
    private static async Task<List<string>> ReadTwiceAsync(ShopHarness shop)
    {
        List<string> rows = [];
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
        }

        return rows;
    }
}
