using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// README's "With the application's own IConnectionMultiplexer" registration, with the multiplexer built by the
/// README's own line (its configuration string, pointed at a port nothing listens on): Redis down when the application
/// starts must cost speed, not the queries, as README's first paragraph promises. StackExchange.Redis's
/// <c>Connect</c> throws when it cannot connect unless the string says <c>abortConnect=false</c>, and the singleton's
/// factory then throws at every resolution of the context.
/// </summary>
public sealed class ReadmeMultiplexerRegistrationTests
{
    [Fact]
    public async Task The_README_registration_of_an_application_multiplexer_reads_the_database_while_Redis_is_down_at_start()
    {
        var configuration = ReadmeMultiplexerConfiguration().Replace("localhost:6379", $"127.0.0.1:{UnusedPort()}", StringComparison.Ordinal);
        using var database = new SqliteTestDatabase();
        await using (var context = new ShopContext(database.CreateOptions<ShopContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            ShopSeed.Seed(context);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        services.AddDbContext<ShopContext>((provider, options) => database.Use(options)
            .UseRedisCacheAside(provider.GetRequiredService<IConnectionMultiplexer>(), cache =>
            {
                cache.KeyPrefix = "shop";
                cache.LoggerFactory = provider.GetRequiredService<ILoggerFactory>();
            }));
        services.AddRedisCacheInvalidator<ShopContext>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using var scope = provider.CreateAsyncScope();
        var shop = scope.ServiceProvider.GetRequiredService<ShopContext>();
        Assert.Equal(ShopSeed.ProductCount, (await shop.Products.Cacheable().ToListAsync()).Count);
    }

    /// <summary>The string README's registration gives <c>ConnectionMultiplexer.Connect</c>.</summary>
    private static string ReadmeMultiplexerConfiguration([CallerFilePath] string thisFile = "")
    {
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "README.md"));
        var match = Regex.Match(readme, @"AddSingleton<IConnectionMultiplexer>\(_ => ConnectionMultiplexer\.Connect\(""(?<configuration>[^""]+)""\)\)");
        Assert.True(match.Success, "README no longer registers the multiplexer as this test expects");
        return match.Groups["configuration"].Value;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
