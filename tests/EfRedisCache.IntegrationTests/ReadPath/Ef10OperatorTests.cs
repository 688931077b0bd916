using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Query features new in EF Core 10, each compared with an uncached context: named query filters reading the
/// context (two contexts with other values, or ignoring other filters, never share an entry), and the
/// <c>LeftJoin</c>/<c>RightJoin</c> operators, whose joined table's writes must reach the cached result.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class Ef10OperatorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Named_query_filters_reading_the_context_key_every_combination_apart()
    {
        using var shop = new ShopHarness(redis);
        var cached = shop.Database.CreateOptions<NamedFilterContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter));
        var uncached = shop.Database.CreateOptions<NamedFilterContext>();
        string[][] ignored = [[], [NamedFilterContext.TenantFilter], [NamedFilterContext.LiveFilter], [NamedFilterContext.TenantFilter, NamedFilterContext.LiveFilter]];

        static Task<List<string>> ReadAsync(NamedFilterContext context, string[] ignore, bool cache)
        {
            var query = context.Products.IgnoreQueryFilters(ignore).OrderBy(p => p.Id).Select(p => p.Name);
            return (cache ? query.Cacheable() : query).ToListAsync();
        }

        for (var round = 0; round < 2; round++)
        {
            foreach (var category in new[] { ShopSeed.HardwareCategoryId, ShopSeed.BooksCategoryId })
            {
                foreach (var showDiscontinued in new[] { false, true })
                {
                    foreach (var ignore in ignored)
                    {
                        await using var truth = new NamedFilterContext(uncached) { CategoryId = category, ShowDiscontinued = showDiscontinued };
                        await using var context = new NamedFilterContext(cached) { CategoryId = category, ShowDiscontinued = showDiscontinued };
                        Assert.Equal(await ReadAsync(truth, ignore, cache: false), await ReadAsync(context, ignore, cache: true));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task LeftJoin_and_RightJoin_see_writes_to_either_table()
    {
        using var shop = new ShopHarness(redis);

        static async Task<string> ReadAsync(ShopContext context, bool cache)
        {
            var left = context.Products
                .LeftJoin(context.Categories, p => p.CategoryId, c => c.Id, (p, c) => p.Name + "/" + (c == null ? "-" : c.Name))
                .OrderBy(x => x);
            var right = context.Products
                .RightJoin(context.Categories, p => p.CategoryId, c => c.Id, (p, c) => (p == null ? "-" : p.Name) + "/" + c.Name)
                .OrderBy(x => x);
            return string.Join(" | ", cache ? await left.Cacheable().ToListAsync() : await left.ToListAsync())
                + " || " + string.Join(" | ", cache ? await right.Cacheable().ToListAsync() : await right.ToListAsync());
        }

        async Task AssertFreshAsync()
        {
            for (var read = 0; read < 2; read++)
            {
                await using var truth = shop.NewUncachedContext();
                await using var context = shop.NewContext();
                Assert.Equal(await ReadAsync(truth, cache: false), await ReadAsync(context, cache: true));
            }
        }

        await AssertFreshAsync();
        var queries = shop.Counter.Queries;
        await AssertFreshAsync();
        Assert.Equal(queries, shop.Counter.Queries); // hits

        await using (var writer = shop.NewContext())
        {
            writer.Categories.Add(new Category { Name = "Empty shelf" });
            await writer.SaveChangesAsync();
        }

        await AssertFreshAsync();
        await using (var writer = shop.NewContext())
        {
            await writer.Categories.Where(c => c.Id == ShopSeed.BooksCategoryId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Novels"));
        }

        await AssertFreshAsync();
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        await AssertFreshAsync();
    }
}
