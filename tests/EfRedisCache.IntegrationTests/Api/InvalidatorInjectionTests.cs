using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.ReadPath;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// <c>AddRedisCacheInvalidator&lt;TContext&gt;()</c> in an application with two cached context types (each with its
/// database and key prefix), as the README's "register it once" invites for each. The injected
/// <see cref="IRedisCacheInvalidator"/> must not silently invalidate only the context registered last.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InvalidatorInjectionTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Injected_invalidator_reaches_the_first_registered_context_when_a_second_context_type_registers_one_too()
    {
        using var shop = new ShopHarness(redis);
        using var listDatabase = new SqliteTestDatabase();
        var listPrefix = redis.NewKeyPrefix();
        var services = new ServiceCollection();
        services.AddDbContext<ShopContext>(b => shop.ConfigureCached(b));
        services.AddRedisCacheInvalidator<ShopContext>();
        services.AddDbContext<CategoryListContext>(b => listDatabase.Use(b).UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = listPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        }));
        services.AddRedisCacheInvalidator<CategoryListContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        async Task<string> ReadKeyboardName()
        {
            await using var scope = provider.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<ShopContext>();
            return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable(Ttl, "catalog").SingleAsync()).Name;
        }

        Assert.Equal("Keyboard", await ReadKeyboardName());
        Assert.Equal("Keyboard", await ReadKeyboardName());

        // Another application renames the product, then this one invalidates the catalog by hand.
        await using (var connection = new SqliteConnection(shop.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE Products SET Name = 'Renamed' WHERE Id = {ShopSeed.KeyboardId}";
            await command.ExecuteNonQueryAsync();
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateTagsAsync(["catalog"]);
        }

        Assert.Equal("Renamed", await ReadKeyboardName());

        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateEntityAsync<Product>(); // Product: the shop's only
        }
    }
}
