using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor registered after the cache that answers a query itself (<c>SuppressWithResult</c> with a reader of
/// its own) hands EF Core rows that are not the database's: the context that has it gets them, and no other context
/// may be served them from the cache.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AnsweringInterceptorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Rows_an_interceptor_after_the_cache_answered_are_never_served_to_a_context_without_it()
    {
        using var shop = new ShopHarness(redis);
        await using (var answered = new ShopContext(AnsweredOptions(shop)))
        {
            Assert.Equal(["canned"], await Query(answered).ToListAsync());
        }

        await using var truth = shop.NewUncachedContext();
        await using var context = shop.NewContext();
        Assert.Equal(await Query(truth).ToListAsync(), await Query(context).ToListAsync());
    }

    [Fact]
    public void Rows_an_interceptor_after_the_cache_answered_are_never_served_to_a_context_without_it_sync()
    {
        using var shop = new ShopHarness(redis);
        using (var answered = new ShopContext(AnsweredOptions(shop)))
        {
            Assert.Equal(["canned"], Query(answered).ToList());
        }

        using var truth = shop.NewUncachedContext();
        using var context = shop.NewContext();
        Assert.Equal(Query(truth).ToList(), Query(context).ToList());
    }

    [Fact]
    public async Task An_answered_miss_is_said_once_at_Warning_with_the_remedy_and_the_query_still_caches_without_it()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory);
        for (var i = 0; i < 3; i++)
        {
            await using var answered = new ShopContext(AnsweredOptions(shop));
            Assert.Equal(["canned"], await Query(answered).ToListAsync());
        }

        var before = shop.Counter.Queries;
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Equal(ShopSeed.ProductCount, (await Query(context).ToListAsync()).Count);
        }

        Assert.Equal(before + 1, shop.Counter.Queries);
        var records = logs.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Name == "CommandAnsweredAfterCache");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("before UseRedisCacheAside", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_transformed_by_an_interceptor_before_the_cache_is_transformed_once_and_never_served_to_a_context_without_it()
    {
        using var shop = new ShopHarness(redis);
        var builder = new DbContextOptionsBuilder<ShopContext>().AddInterceptors(new MaskingReaderInterceptor());
        var masked = (DbContextOptions<ShopContext>)shop.ConfigureCached(builder).Options;

        for (var i = 0; i < 2; i++)
        {
            await using var context = new ShopContext(masked);
            Assert.All(await Query(context).ToListAsync(), name =>
            {
                Assert.EndsWith("*", name, StringComparison.Ordinal);
                Assert.False(name.EndsWith("**", StringComparison.Ordinal), $"'{name}' was transformed twice");
            });
        }

        await using var truth = shop.NewUncachedContext();
        await using var plain = shop.NewContext();
        Assert.Equal(await Query(truth).ToListAsync(), await Query(plain).ToListAsync());
    }

    /// <summary>The shop's cached options, the same key prefix and database, with the answering interceptor after the cache.</summary>
    private static DbContextOptions<ShopContext> AnsweredOptions(ShopHarness shop)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(new CannedAnswerInterceptor("canned"));
        return builder.Options;
    }

    private static IQueryable<string> Query(ShopContext context)
        => context.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Cacheable();
}
