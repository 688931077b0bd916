using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Two registrations on one database and one key prefix whose settings differ — another service, or another
/// context type of the same application — and a SaveChanges through either one: the other's cached key lookups
/// and lists must see it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MixedSettingsTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_save_through_a_registration_with_other_row_level_settings_invalidates_the_cached_key_lookup(bool writerRowLevel)
    {
        using var shop = new ShopHarness(redis, o => o.RowLevelInvalidation = !writerRowLevel);
        var mouse = new WatchedQuery(shop, "Mouse by key", c =>
            c.Products.AsNoTracking().Cacheable().FirstOrDefault(p => p.Id == ShopSeed.MouseId)?.Name ?? "none");
        var products = ShopQueries.Products(shop);
        var (m0, p0) = (mouse.Warm(), products.Warm());

        var writerOptions = shop.Database.CreateOptions<ShopContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = shop.KeyPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
            o.RowLevelInvalidation = writerRowLevel;
        }));
        await using (var writer = new ShopContext(writerOptions))
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        products.AssertInvalidatedAndFresh(p0);
        mouse.AssertInvalidatedAndFresh(m0);
    }

    /// <summary>
    /// DESIGN.md invariant 7 across processes whose settings differ: a key lookup depends on its row's version under
    /// row-level invalidation and on its table's without it, so the two read other versions for one entry key, and each
    /// took the other's stampede lock for a leader's that read before a write — on every lookup. Eight processes, four
    /// of each setting, ten concurrent misses each: each setting's misses must cost about one query, not one a process.
    /// </summary>
    [Fact]
    public async Task Concurrent_misses_on_a_key_lookup_from_processes_of_both_row_level_settings_cost_about_one_query_per_setting()
    {
        using var shop = new ShopHarness(redis);
        var connections = Enumerable.Range(0, 8).Select(_ => redis.CreateConnection()).ToArray();
        try
        {
            var slow = new Resilience.SlowDatabase { Delay = TimeSpan.FromMilliseconds(300) };
            var options = connections.Select((c, i) => Resilience.ResilienceKit.Options(shop, c, o => o.RowLevelInvalidation = i % 2 == 0, slow)).ToArray();
            var id = ShopSeed.MouseId;
            async Task<string?> ReadAsync(DbContextOptions<ShopContext> option)
            {
                await using var context = new ShopContext(option);
                return (await context.Products.AsNoTracking().Where(p => p.Id == id).Cacheable().FirstOrDefaultAsync())?.Name;
            }

            // Warm (queries compiled, scripts loaded), then cold.
            foreach (var option in options)
            {
                await ReadAsync(option);
            }

            await using (var context = new ShopContext(options[0]))
            {
                await context.GetCacheInvalidator().InvalidateAllAsync();
            }

            shop.Counter.Reset();
            var names = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Task.Run(() => ReadAsync(options[i % 8]))));

            Assert.All(names, name => Assert.Equal("Mouse", name));
            Assert.True(shop.Counter.Queries <= 4, $"80 concurrent misses in 8 processes, 4 of each row-level setting, cost {shop.Counter.Queries} database queries: the two settings took each other's stampede locks");
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}
