using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Two queries can send the same SQL and read its columns as other types: raw SQL read as <c>SqlQuery&lt;long&gt;</c>
/// and <c>SqlQuery&lt;decimal&gt;</c>, or two entity types mapped over one table. The cache records each cell as the
/// provider's typed getter converted it (SQLite's <c>GetInt64</c> truncates the text "49.99" to 49), so an entry the
/// first query stored cannot answer the second: the second must get what the database gives it, not a conversion
/// of the first one's values.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SameSqlOtherReadTests(RedisServerFixture redis)
{
    private const string PriceSql = "SELECT \"Price\" AS \"Value\" FROM \"Products\" ORDER BY \"Id\"";

    [Fact]
    public async Task Raw_sql_read_as_decimal_after_the_same_sql_read_as_long_gives_the_decimals()
    {
        using var shop = new ShopHarness(redis);
        List<string> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = Describe(await context.Database.SqlQueryRaw<decimal>(PriceSql).ToListAsync());
            Assert.Contains("49.99", truth);
        }

        await using (var context = shop.NewContext())
        {
            await context.Database.SqlQueryRaw<long>(PriceSql).Cacheable().ToListAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(truth, Describe(await context.Database.SqlQueryRaw<decimal>(PriceSql).Cacheable().ToListAsync()));
        }
    }

    /// <summary>
    /// Two types of one full name from two assemblies (two plugins, here emitted), the same raw SQL read as each: the
    /// LINQ shape printed the type's name without its assembly, so both shared one entry, and the plugin reading a
    /// decimal was served the other's truncated longs.
    /// </summary>
    [Fact]
    public async Task Raw_sql_read_as_a_type_of_the_same_name_from_another_assembly_gives_its_own_values()
    {
        var wholes = EmittedPriceRow.Emit("PluginWithWholePrices", typeof(long));
        var prices = EmittedPriceRow.Emit("PluginWithPrices", typeof(decimal));
        Assert.Equal(wholes.FullName, prices.FullName); // the premise

        using var shop = new ShopHarness(redis);
        List<string> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = await ReadValuesAsync(context, prices, cached: false);
            Assert.Contains("49.99", truth);
        }

        await using (var context = shop.NewContext())
        {
            Assert.Contains("49", await ReadValuesAsync(context, wholes, cached: true));
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(truth, await ReadValuesAsync(context, prices, cached: true));
        }
    }

    /// <summary>
    /// A release changes a raw SQL read's row type (its <c>Value</c> from <c>long</c> to <c>decimal</c>) and keeps its
    /// assembly's name and version (an SDK project's default 1.0.0.0): the type's assembly-qualified name is the old
    /// one's, and the type is in no model, so the new release read the old one's entries, truncated, until they expired.
    /// Here both builds are emitted into one process, as two assemblies of one identity.
    /// </summary>
    [Fact]
    public async Task Raw_sql_read_as_a_new_build_of_its_row_type_does_not_read_the_old_builds_entry()
    {
        var oldBuild = EmittedPriceRow.Emit("Reports", typeof(long));
        var newBuild = EmittedPriceRow.Emit("Reports", typeof(decimal));
        Assert.Equal(oldBuild.AssemblyQualifiedName, newBuild.AssemblyQualifiedName); // the premise

        using var shop = new ShopHarness(redis);
        List<string> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = await ReadValuesAsync(context, newBuild, cached: false);
            Assert.Contains("49.99", truth);
        }

        await using (var context = shop.NewContext())
        {
            Assert.Contains("49", await ReadValuesAsync(context, oldBuild, cached: true));
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(truth, await ReadValuesAsync(context, newBuild, cached: true));
        }
    }

    /// <summary><c>SqlQueryRaw&lt;T&gt;(PriceSql)</c> for a <typeparamref name="T"/> known at run time, each row's <c>Value</c> as invariant text.</summary>
    private static async Task<List<string>> ReadValuesAsync(DbContext context, Type rowType, bool cached)
    {
        var read = typeof(SameSqlOtherReadTests).GetMethod(nameof(ReadRowsAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(rowType);
        var rows = await (Task<List<object>>)read.Invoke(null, [context, cached])!;
        var value = rowType.GetProperty("Value")!;
        return rows.Select(r => Convert.ToString(value.GetValue(r), CultureInfo.InvariantCulture)!).ToList();
    }

    private static async Task<List<object>> ReadRowsAsync<T>(DbContext context, bool cached)
    {
        var query = context.Database.SqlQueryRaw<T>(PriceSql);
        return (await (cached ? query.Cacheable() : query).ToListAsync()).Cast<object>().ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_entity_read_after_another_entity_type_over_the_same_table_gives_its_own_values(bool cacheAllQueries)
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = cacheAllQueries);
        PriceWholeShopContext Cached() => new(shop.CachedOptions());
        List<string> truth;
        await using (var context = new PriceWholeShopContext(shop.Database.CreateOptions<Model.ShopContext>()))
        {
            // The premise: both queries send one SQL text.
            Assert.Equal(
                context.Products.Select(p => p.Price).ToQueryString(),
                context.WholePrices.Select(p => p.Price).ToQueryString());
            truth = Describe(await context.Products.Select(p => p.Price).ToListAsync());
            Assert.Contains("49.99", truth);
        }

        await using (var context = Cached())
        {
            var wholes = cacheAllQueries
                ? await context.WholePrices.Select(p => p.Price).ToListAsync()
                : await context.WholePrices.Select(p => p.Price).Cacheable().ToListAsync();
            Assert.Contains(49, wholes);
        }

        await using (var context = Cached())
        {
            var prices = cacheAllQueries
                ? await context.Products.Select(p => p.Price).ToListAsync()
                : await context.Products.Select(p => p.Price).Cacheable().ToListAsync();
            Assert.Equal(truth, Describe(prices));
        }
    }

    [Fact]
    public async Task A_property_bag_read_after_another_bag_type_over_the_same_table_gives_its_own_values()
    {
        // Two shared-type entity types of one CLR type (Dictionary<string, object>): their LINQ trees differ only in
        // the entity type's name.
        using var shop = new ShopHarness(redis);
        PriceBagShopContext Cached() => new(shop.CachedOptions());
        static IQueryable<Dictionary<string, object>> Bags(PriceBagShopContext context, string name)
            => context.Set<Dictionary<string, object>>(name);
        List<string> truth;
        await using (var context = new PriceBagShopContext(shop.Database.CreateOptions<Model.ShopContext>()))
        {
            Assert.Equal(
                Bags(context, PriceBagShopContext.DecimalPrices).ToQueryString(),
                Bags(context, PriceBagShopContext.WholePrices).ToQueryString());
            truth = Describe([.. (await Bags(context, PriceBagShopContext.DecimalPrices).ToListAsync()).Select(b => (decimal)b["Price"])]);
            Assert.Contains("49.99", truth);
        }

        await using (var context = Cached())
        {
            var wholes = await Bags(context, PriceBagShopContext.WholePrices).Cacheable().ToListAsync();
            Assert.Contains(wholes, b => (long)b["Price"] == 49);
        }

        await using (var context = Cached())
        {
            var prices = await Bags(context, PriceBagShopContext.DecimalPrices).Cacheable().ToListAsync();
            Assert.Equal(truth, Describe([.. prices.Select(b => (decimal)b["Price"])]));
        }
    }

    private static List<string> Describe(List<decimal> values) => [.. values.Select(v => v.ToString(CultureInfo.InvariantCulture))];
}
