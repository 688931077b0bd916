using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A tracing or profiling wrapper around the provider's connection whose commands hand back the provider's own reader:
/// the reader's assembly is not the command's, yet its rows are the database's, so the cache must keep caching.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TracingConnectionTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Queries_through_a_pass_through_connection_wrapper_are_cached_and_invalidated()
    {
        using var shop = new ShopHarness(redis);
        ShopContext NewContext()
        {
            var builder = new DbContextOptionsBuilder<ShopContext>()
                .UseSqlite(new TracingConnection(new SqliteConnection(shop.Database.ConnectionString)), contextOwnsConnection: true);
            return new ShopContext((DbContextOptions<ShopContext>)builder
                .UseRedisCacheAside(redis.Connection, o =>
                {
                    o.KeyPrefix = shop.KeyPrefix;
                    o.RedisTimeout = ShopHarness.RoomyBudget;
                })
                .AddInterceptors(shop.Counter)
                .Options);
        }

        for (var i = 0; i < 3; i++)
        {
            await using var context = NewContext();
            Assert.Equal("Keyboard", await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
        }

        Assert.Equal(1, shop.Counter.Queries);

        await using (var context = NewContext())
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Traced";
            await context.SaveChangesAsync();
        }

        await using (var context = NewContext())
        {
            Assert.Equal("Traced", await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
        }
    }

    /// <summary>
    /// One database, reached by the web application through a profiler's wrapper and by a worker (or a migration, an
    /// admin tool) through the provider's plain connection: a write through either must invalidate what the other
    /// cached. The wrapper's type named another database, so the worker's save left the wrapped reads' entries alive.
    /// </summary>
    [Fact]
    public async Task A_write_through_the_plain_connection_invalidates_what_a_wrapped_connection_cached()
    {
        using var shop = new ShopHarness(redis);
        ShopContext NewWrappedContext() => new((DbContextOptions<ShopContext>)new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(new TracingConnection(new SqliteConnection(shop.Database.ConnectionString)), contextOwnsConnection: true)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter)
            .Options);

        for (var i = 0; i < 2; i++)
        {
            await using var wrapped = NewWrappedContext();
            Assert.Equal("Keyboard", await wrapped.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
        }

        await using (var plain = shop.NewContext())
        {
            (await plain.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Saved by the worker";
            await plain.SaveChangesAsync();
        }

        await using (var wrapped = NewWrappedContext())
        {
            Assert.Equal("Saved by the worker", await wrapped.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
        }
    }
}
