using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using static EfRedisCache.IntegrationTests.ReadPath.OptInOptOutTests;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Unmarked raw SQL is left to the database under <c>CacheAllQueries</c> wherever it sits in a query — a subquery, a
/// Join or Concat arm, a compiled query, under <c>Include</c> and split queries — and the marker EF Core's compilation
/// adds breaks none of them, nor <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> rooted in <c>FromSql</c>.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RawSqlQueryShapeTests(RedisServerFixture redis)
{
    private static readonly Func<ShopContext, IAsyncEnumerable<Product>> CompiledRaw =
        EF.CompileAsyncQuery((ShopContext db) => db.Products.FromSqlRaw("SELECT * FROM \"Products\"").AsNoTracking());

    private static readonly Func<ShopContext, int, IAsyncEnumerable<Product>> CompiledRawInSubquery =
        EF.CompileAsyncQuery((ShopContext db, int min) => db.Products.Where(p => db.Database.SqlQueryRaw<int>("SELECT \"Id\" AS \"Value\" FROM \"Products\"").Contains(p.Id) && p.Id > min));

    [Fact]
    public async Task Raw_sql_in_a_subquery_is_not_cached_unmarked()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        await ReadTwice(shop, c => c.Products.Where(p => c.Database.SqlQuery<int>($"SELECT \"Id\" AS \"Value\" FROM \"Products\"").Contains(p.Id)).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Products.Where(p => c.Products.FromSql($"SELECT * FROM \"Products\"").Any(r => r.Id == p.Id)).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Products.Join(c.Products.FromSql($"SELECT * FROM \"Products\""), p => p.Id, r => r.Id, (p, r) => r.Name).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Products.Concat(c.Products.FromSql($"SELECT * FROM \"Products\"")).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Compiled_raw_sql_is_not_cached_unmarked()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        await ReadTwice(shop, async c => { var n = 0; await foreach (var _ in CompiledRaw(c)) { n++; } return n; });
        Assert.Equal(2, shop.Counter.Queries);
        shop.Counter.Reset();
        await ReadTwice(shop, async c => { var n = 0; await foreach (var _ in CompiledRawInSubquery(c, 0)) { n++; } return n; });
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Include_and_split_query_on_FromSql_are_cached_only_when_marked()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        await ReadTwice(shop, c => c.Categories.FromSql($"SELECT * FROM \"Categories\"").Include(x => x.Products).AsSplitQuery().ToListAsync());
        Assert.Equal(4, shop.Counter.Queries);
        shop.Counter.Reset();
        var (a, b) = await ReadTwice(shop, c => c.Categories.FromSql($"SELECT * FROM \"Categories\"").Include(x => x.Products).AsSplitQuery().Cacheable().ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
        Assert.Equal(a.Sum(x => x.Products.Count), b.Sum(x => x.Products.Count));
    }

    [Fact]
    public async Task ExecuteDelete_and_ExecuteUpdate_on_FromSql_work_and_invalidate()
    {
        using var shop = new ShopHarness(redis);

        var before = await ReadOnce(shop, c => c.Products.Cacheable().CountAsync());
        await using (var c = shop.NewContext())
        {
            await c.Products.FromSql($"SELECT * FROM \"Products\"").Where(p => p.Id == ShopSeed.KeyboardId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "renamed"));
        }

        Assert.Equal("renamed", await ReadOnce(shop, c => c.Products.Cacheable().Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).SingleAsync()));
        await using (var c = shop.NewContext())
        {
            await c.OrderLines.ExecuteDeleteAsync();
            await c.Products.FromSql($"SELECT * FROM \"Products\"").Where(p => p.Id == ShopSeed.KeyboardId).ExecuteDeleteAsync();
        }

        Assert.Equal(before - 1, await ReadOnce(shop, c => c.Products.Cacheable().CountAsync()));
    }

    [Fact]
    public async Task SqlQueryRaw_scalars_are_cached_only_when_marked()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        var (a, b) = await ReadTwice(shop, c => c.Database.SqlQueryRaw<int>("SELECT 7 AS \"Value\"").SingleAsync());
        Assert.Equal(7, b);
        Assert.Equal(2, shop.Counter.Queries);
        shop.Counter.Reset();
        (a, b) = await ReadTwice(shop, c => c.Database.SqlQueryRaw<int>("SELECT 8 AS \"Value\"").Cacheable().SingleAsync());
        Assert.Equal(8, b);
        Assert.Equal(1, shop.Counter.Queries);
        _ = a;
    }
}
