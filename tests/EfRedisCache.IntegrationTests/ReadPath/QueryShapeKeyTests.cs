using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Queries that differ only in a query filter's context field, a list parameter, a page, an offset, a decimal's
/// scale or a string's case never share an entry; the thread's culture changes neither key nor values; a tracked,
/// modified row and a cancelled query leave nothing wrong behind. Each compared with an uncached context.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class QueryShapeKeyTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Global_query_filter_on_a_context_field_keeps_tenants_apart_and_IgnoreQueryFilters_sees_all()
    {
        using var shop = new ShopHarness(redis);
        var cached = shop.Database.CreateOptions<TenantFilterContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter));
        var uncached = shop.Database.CreateOptions<TenantFilterContext>();

        for (var round = 0; round < 2; round++)
        {
            foreach (var tenant in new[] { ShopSeed.HardwareCategoryId, ShopSeed.BooksCategoryId })
            {
                await using var truth = new TenantFilterContext(uncached, tenant);
                await using var context = new TenantFilterContext(cached, tenant);
                Assert.Equal(
                    await truth.Categories.OrderBy(c => c.Id).Select(c => c.Name).ToListAsync(),
                    await context.Categories.OrderBy(c => c.Id).Select(c => c.Name).Cacheable().ToListAsync());
                Assert.Equal(
                    await truth.Categories.IgnoreQueryFilters().OrderBy(c => c.Id).Select(c => c.Name).ToListAsync(),
                    await context.Categories.IgnoreQueryFilters().OrderBy(c => c.Id).Select(c => c.Name).Cacheable().ToListAsync());
            }
        }

        Assert.Equal(3, shop.Counter.Queries); // one per tenant, one unfiltered; the second round hits
    }

    [Fact]
    public async Task Culture_of_the_thread_changes_neither_the_key_nor_the_values()
    {
        using var shop = new ShopHarness(redis);
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // Read under the culture; formatted under the invariant one.
            List<Product> Read(ShopContext c, decimal above) => c.Products.AsNoTracking().Where(p => p.Price > above).OrderBy(p => p.Id).Cacheable().ToList();
            static List<string> Format(List<Product> products) => products.Select(p => ReadPathProbe.Row(p).ToString()).ToList();

            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            List<string> truth;
            using (var context = shop.NewUncachedContext())
            {
                truth = Format(Read(context, 19.5m));
            }

            foreach (var culture in new[] { "tr-TR", "de-DE", "ar-SA", "" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                using var context = shop.NewContext();
                var products = Read(context, 19.5m);
                CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
                Assert.Equal(truth, Format(products));
            }

            Assert.Equal(1, shop.Counter.Queries); // one key whatever the culture
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task Contains_over_a_list_parameter_never_shares_an_entry_across_lists()
    {
        using var shop = new ShopHarness(redis);
        int[][] lists = [[1, 2], [2, 1], [3], [], [1, 2, 3, 4], [4, 40]];
        for (var round = 0; round < 2; round++)
        {
            foreach (var ids in lists)
            {
                await using var truth = shop.NewUncachedContext();
                await using var context = shop.NewContext();
                Assert.Equal(
                    await truth.Products.Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Name).ToListAsync(),
                    await context.Products.Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync());
            }
        }
    }

    [Fact]
    public async Task Skip_and_take_parameters_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);
        (int Skip, int Take)[] pages = [(0, 2), (1, 2), (2, 2), (0, 3), (3, 5)];
        for (var round = 0; round < 2; round++)
        {
            foreach (var (skip, take) in pages)
            {
                await using var truth = shop.NewUncachedContext();
                await using var context = shop.NewContext();
                Assert.Equal(
                    await truth.Products.OrderBy(p => p.Id).Skip(skip).Take(take).Select(p => p.Id).ToListAsync(),
                    await context.Products.OrderBy(p => p.Id).Skip(skip).Take(take).Select(p => p.Id).Cacheable().ToListAsync());
            }
        }
    }

    [Fact]
    public async Task Same_instant_with_two_offsets_and_decimals_of_two_scales_give_the_uncached_rows()
    {
        using var shop = new ShopHarness(redis);
        const string ByReleased = "SELECT * FROM \"Products\" WHERE \"Released\" = @v";
        const string ByPrice = "SELECT * FROM \"Products\" WHERE \"Price\" = @v";
        var released = new DateTimeOffset(2024, 2, 1, 9, 0, 0, TimeSpan.FromHours(2));
        (string Sql, object Value)[] cases =
        [
            (ByReleased, released), (ByReleased, released.ToUniversalTime()), (ByReleased, released.ToOffset(TimeSpan.FromHours(-3))),
            (ByPrice, 299.000m), (ByPrice, 299m), (ByPrice, 299.0m), (ByPrice, "299.000"),
            ("SELECT * FROM \"Products\" WHERE \"Name\" = @v", "keyboard"), ("SELECT * FROM \"Products\" WHERE \"Name\" = @v", "Keyboard"),
            ("SELECT * FROM \"Products\" WHERE \"Name\" = @v", "Keyboard "), ("SELECT * FROM \"Products\" WHERE \"Name\" = @v", "Keyboard\0"),
        ];
        for (var round = 0; round < 2; round++)
        {
            foreach (var (sql, value) in cases)
            {
                await using var truth = shop.NewUncachedContext();
                await using var context = shop.NewContext();
                var expected = await truth.Products.FromSqlRaw(sql, new SqliteParameter("@v", value)).AsNoTracking().Select(p => p.Id).ToListAsync();
                var actual = await context.Products.FromSqlRaw(sql, new SqliteParameter("@v", value)).AsNoTracking().Select(p => p.Id).Cacheable().ToListAsync();
                Assert.True(expected.SequenceEqual(actual), $"{sql} with {value.GetType().Name} '{value}': [{string.Join(",", expected)}] vs [{string.Join(",", actual)}]");
            }
        }
    }

    [Fact]
    public async Task Tracking_query_whose_first_row_is_tracked_and_modified_stores_the_database_row()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            // EF Core reads only the key of a row it already tracks: the cache records the rest itself.
            var keyboard = await context.Products.NotCacheable().SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Modified, not saved";
            keyboard.Price = 1m;
            var all = await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync();
            Assert.Same(keyboard, all[0]);
            Assert.Equal("Modified, not saved", all[0].Name); // EF keeps the tracked instance
        }

        List<string> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = (await context.Products.OrderBy(p => p.Id).ToListAsync()).Select(p => ReadPathProbe.Row(p).ToString()).ToList();
        }

        var before = shop.Counter.Queries;
        await using (var context = shop.NewContext())
        {
            var hit = (await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()).Select(p => ReadPathProbe.Row(p).ToString()).ToList();
            Assert.Equal(truth, hit);
        }

        Assert.Equal(before, shop.Counter.Queries); // it was a hit
    }

    [Fact]
    public async Task Query_cancelled_midway_then_repeated_sync_and_async_gives_the_uncached_rows()
    {
        using var shop = new ShopHarness(redis);
        using (var cancellation = new CancellationTokenSource())
        await using (var context = shop.NewContext())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().AsAsyncEnumerable().WithCancellation(cancellation.Token))
                {
                    await cancellation.CancelAsync();
                }
            });
        }

        List<string> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = await context.Products.OrderBy(p => p.Id).Select(p => p.Name).ToListAsync();
        }

        for (var round = 0; round < 2; round++)
        {
            await using (var context = shop.NewContext())
            {
                Assert.Equal(truth, await context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync());
            }

            using (var context = shop.NewContext())
            {
                Assert.Equal(truth, context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToList());
            }
        }
    }
}
