using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor registered after the cache that rewrites the command (a table or schema per tenant) runs another
/// query than the one the cache keyed: each tenant's rows must still be its own, never another tenant's entry.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CommandRewritingInterceptorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Rows_of_a_command_rewritten_after_the_cache_keyed_it_are_never_served_to_the_unrewritten_query()
    {
        using var shop = NewShopWithArchive();
        var redirected = RedirectedOptions(shop);

        // The tenant whose interceptor reads the archive misses first; the tenant without one comes second.
        await using (var archiveTenant = new ShopContext(redirected))
        {
            Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], await NamesAsync(archiveTenant));
        }

        await using var truth = shop.NewUncachedContext();
        await using var context = shop.NewContext();
        Assert.Equal(await NamesAsync(truth), await NamesAsync(context));
    }

    [Fact]
    public async Task A_command_rewritten_after_the_cache_keyed_it_is_never_served_the_unrewritten_querys_entry()
    {
        using var shop = NewShopWithArchive();
        var redirected = RedirectedOptions(shop);

        // The tenant without an interceptor stores the main table's rows; the redirected one must not get them.
        await using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, (await NamesAsync(context)).Count);
        }

        await using var archiveTenant = new ShopContext(redirected);
        Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], await NamesAsync(archiveTenant));
    }

    [Fact]
    public void A_command_rewritten_after_the_cache_keyed_it_is_never_served_the_unrewritten_querys_entry_sync()
    {
        using var shop = NewShopWithArchive();
        var redirected = RedirectedOptions(shop);

        using (var context = shop.NewContext())
        {
            Assert.Equal(ShopSeed.ProductCount, Query(context).ToList().Count);
        }

        using var archiveTenant = new ShopContext(redirected);
        Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], Query(archiveTenant).ToList());
    }

    [Fact]
    public async Task A_rewritten_query_is_counted_and_said_once_at_Warning_with_the_remedy()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = NewShopWithArchive(o => o.LoggerFactory = loggerFactory);
        var redirected = RedirectedOptions(shop);
        using var rewritten = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.rewritten_commands");

        for (var i = 0; i < 3; i++)
        {
            await using var archiveTenant = new ShopContext(redirected);
            Assert.Equal(["Monitor 27\"", "Ünïcødé novel"], await NamesAsync(archiveTenant));
        }

        var records = logs.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Name == "CommandRewrittenAfterCache");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("before UseRedisCacheAside", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, records.Count(r => r.Id.Name == "CommandRewrittenAfterCacheAgain"));
        Assert.True(rewritten.GetMeasurementSnapshot().EvaluateAsCounter() >= 3);
    }

    [Fact]
    public async Task An_interceptor_after_the_cache_that_changes_nothing_the_key_covers_keeps_the_hits()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory);
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new KeyPreservingRewriteInterceptor());
        var name = "Keyboard";

        for (var i = 0; i < 3; i++)
        {
            await using var context = new ShopContext(builder.Options);
            Assert.Equal(ShopSeed.KeyboardId, (await context.Products.Where(p => p.Name == name && p.Id > 0).Cacheable().SingleAsync()).Id);
        }

        Assert.Equal(1, shop.Counter.Queries);
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Name?.StartsWith("CommandRewritten", StringComparison.Ordinal) == true);
    }

    private ShopHarness NewShopWithArchive(Action<RedisCacheAsideOptions>? configure = null)
    {
        var shop = new ShopHarness(redis, configure);
        using var context = shop.NewUncachedContext();
        context.Database.ExecuteSqlRaw("CREATE TABLE \"ProductsArchive\" AS SELECT * FROM \"Products\" WHERE \"Id\" > 2");
        return shop;
    }

    /// <summary>The shop's cached options, the same key prefix and database, with the redirect after the cache.</summary>
    private static DbContextOptions<ShopContext> RedirectedOptions(ShopHarness shop)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new TableRedirectInterceptor("Products", "ProductsArchive"));
        return builder.Options;
    }

    private static Task<List<string>> NamesAsync(ShopContext context) => Query(context).ToListAsync();

    private static IQueryable<string> Query(ShopContext context)
        => context.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Cacheable();
}
