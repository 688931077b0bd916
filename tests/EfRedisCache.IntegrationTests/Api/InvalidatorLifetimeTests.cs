using System.Runtime.CompilerServices;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// The injected <see cref="IRedisCacheInvalidator"/> is scoped: it works through the scope's contexts. A hosted service
/// (a singleton) that takes it in its constructor, as "inject IRedisCacheInvalidator" reads, fails when scopes are
/// validated (ASP.NET Core's Development environment); README must say how a singleton reaches it: through a scope.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InvalidatorLifetimeTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_singleton_reaches_the_injected_invalidator_through_a_scope_as_README_says()
    {
        using var shop = new ShopHarness(redis);
        var services = new ServiceCollection();
        services.AddDbContext<ShopContext>(b => shop.ConfigureCached(b));
        services.AddRedisCacheInvalidator<ShopContext>();
        services.AddSingleton<CatalogRefresher>();
        services.AddSingleton<CapturingRefresher>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });

        async Task<string> ReadKeyboardName()
        {
            await using var scope = provider.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<ShopContext>();
            return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable(TimeSpan.FromMinutes(5), "catalog").SingleAsync()).Name;
        }

        Assert.Equal("Keyboard", await ReadKeyboardName());
        await using (var connection = new SqliteConnection(shop.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE Products SET Name = 'Renamed' WHERE Id = {ShopSeed.KeyboardId}";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal("Keyboard", await ReadKeyboardName()); // the write the cache cannot see
        await provider.GetRequiredService<CatalogRefresher>().RefreshAsync();
        Assert.Equal("Renamed", await ReadKeyboardName());

        var captive = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<CapturingRefresher>());
        Assert.Contains(nameof(IRedisCacheInvalidator), captive.Message, StringComparison.Ordinal);

        Assert.Contains(
            "It is scoped, like the contexts it works through: a singleton (a hosted service) creates a scope",
            File.ReadAllText(ReadmePath()),
            StringComparison.Ordinal);
    }

    private static string ReadmePath([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "README.md"));

    /// <summary>A hosted service's way, as README shows it.</summary>
    private sealed class CatalogRefresher(IServiceScopeFactory scopes)
    {
        public async Task RefreshAsync()
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IRedisCacheInvalidator>().InvalidateTagsAsync(["catalog"]);
        }
    }

    /// <summary>The way that keeps a scoped service in a singleton.</summary>
    private sealed class CapturingRefresher(IRedisCacheInvalidator invalidator)
    {
        public Task RefreshAsync() => invalidator.InvalidateTagsAsync(["catalog"]);
    }
}
