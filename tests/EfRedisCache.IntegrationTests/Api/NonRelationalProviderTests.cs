using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// Applications often keep their <c>UseRedisCacheAside</c> registration and swap the database provider for EF Core's
/// in-memory one in tests. There is no SQL to cache there, so the cache must step aside: queries and saves work as
/// without it, and never see an exception from it; manual invalidation of an entity has nothing to do.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NonRelationalProviderTests(RedisServerFixture redis)
{
    [Fact]
    public async Task On_the_in_memory_provider_queries_and_saves_work_as_without_the_cache()
    {
        var options = new DbContextOptionsBuilder<ShopContext>()
            .UseInMemoryDatabase("efrc-" + Guid.NewGuid().ToString("N"))
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = redis.NewKeyPrefix())
            .Options;

        await using (var context = new ShopContext(options))
        {
            context.Categories.Add(new Category { Id = 1, Name = "Hardware" });
            Assert.Equal(1, await context.SaveChangesAsync());
        }

        using (var context = new ShopContext(options))
        {
            context.Categories.Single().Name = "Tools";
            Assert.Equal(1, context.SaveChanges());
        }

        await using (var context = new ShopContext(options))
        {
            Assert.Equal("Tools", (await context.Categories.Cacheable().SingleAsync()).Name);

            // Nothing of it is cached, so an entity's invalidation has nothing to do, as for an in-memory SQLite database.
            await context.GetCacheInvalidator().InvalidateEntityAsync<Category>();
            context.GetCacheInvalidator().InvalidateEntity<Category>();
            await Assert.ThrowsAsync<ArgumentException>(() => context.GetCacheInvalidator().InvalidateEntityAsync<string>());
        }
    }
}
