using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Runs one query three ways: uncached (the truth), cached on a miss, cached on a hit; and proves with the
/// harness's counter that the first cached read reached the database and the second did not.
/// </summary>
internal static class ReadPathProbe
{
    public static async Task<(T Truth, T Miss, T Hit)> TruthMissHitAsync<T>(ShopHarness shop, Func<ShopContext, Task<T>> query)
    {
        T truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = await query(context);
        }

        var before = shop.Counter.Queries;
        T miss;
        await using (var context = shop.NewContext())
        {
            miss = await query(context);
        }

        var afterMiss = shop.Counter.Queries;
        Assert.True(afterMiss > before, "the first cached read should reach the database");

        T hit;
        await using (var context = shop.NewContext())
        {
            hit = await query(context);
        }

        Assert.True(afterMiss == shop.Counter.Queries, $"the second cached read should be a hit, but {shop.Counter.Queries - afterMiss} query(ies) reached the database");
        return (truth, miss, hit);
    }

    public static (T Truth, T Miss, T Hit) TruthMissHit<T>(ShopHarness shop, Func<ShopContext, T> query)
    {
        T truth;
        using (var context = shop.NewUncachedContext())
        {
            truth = query(context);
        }

        var before = shop.Counter.Queries;
        T miss;
        using (var context = shop.NewContext())
        {
            miss = query(context);
        }

        var afterMiss = shop.Counter.Queries;
        Assert.True(afterMiss > before, "the first cached read should reach the database");

        T hit;
        using (var context = shop.NewContext())
        {
            hit = query(context);
        }

        Assert.True(afterMiss == shop.Counter.Queries, $"the second cached read should be a hit, but {shop.Counter.Queries - afterMiss} query(ies) reached the database");
        return (truth, miss, hit);
    }

    /// <summary>Asserts the hit and the miss both equal the truth.</summary>
    public static async Task AssertTransparentAsync<T>(ShopHarness shop, Func<ShopContext, Task<T>> query)
    {
        var (truth, miss, hit) = await TruthMissHitAsync(shop, query);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    /// <summary>The keys under the harness's prefix, read with SCAN.</summary>
    public static List<string> KeysUnder(RedisServerFixture redis, string prefix, string suffix = "*")
    {
        var server = redis.Connection.GetServers().Single();
        return server.Keys(pattern: RedisServerFixture.KeyStart(prefix) + suffix).Select(k => (string)k!).ToList();
    }

    public static ProductRow Row(Product p) => new(
        p.Id,
        p.Name,
        p.Price,
        p.Price.ToString(CultureInfo.InvariantCulture),
        p.CreatedAt,
        p.CreatedAt.Kind,
        p.Sku,
        p.Rating,
        p.Stock,
        p.Status,
        p.Image is null ? null : Convert.ToHexString(p.Image),
        p.AvailableFrom,
        p.Released,
        p.Released?.Offset,
        p.CategoryId);

    public static List<ProductRow> Rows(IEnumerable<Product> products) => products.Select(Row).ToList();
}

/// <summary>
/// Every column of a product in a form whose equality is exact: the decimal's text keeps its scale, the
/// DateTime's kind and the DateTimeOffset's offset are compared on their own (their == ignores both).
/// </summary>
internal sealed record ProductRow(
    int Id,
    string Name,
    decimal Price,
    string PriceText,
    DateTime CreatedAt,
    DateTimeKind CreatedAtKind,
    Guid Sku,
    double? Rating,
    long Stock,
    ProductStatus Status,
    string? ImageHex,
    DateOnly? AvailableFrom,
    DateTimeOffset? Released,
    TimeSpan? ReleasedOffset,
    int CategoryId);
