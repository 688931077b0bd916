using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// <c>Data Source=|DataDirectory|shop.db</c>: Microsoft.Data.Sqlite opens the file under the application's data
/// directory (AppDomain data "DataDirectory", else the application's base directory), so one connection string
/// names a different database in each application. Two such databases must never share entries.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DataDirectoryTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Same_DataDirectory_connection_string_over_two_directories_never_shares_an_entry()
    {
        var root = Path.Combine(Path.GetTempPath(), "efrc-datadir-" + Guid.NewGuid().ToString("N"));
        var first = Directory.CreateDirectory(Path.Combine(root, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(root, "second")).FullName;
        Seed(Path.Combine(first, "shop.db"), "Keyboard");
        Seed(Path.Combine(second, "shop.db"), "Keyboard of the second application");

        // No pooling: a pooled connection would stay on the first file whatever the data directory says.
        const string connectionString = "Data Source=|DataDirectory|shop.db;Pooling=False";
        var prefix = redis.NewKeyPrefix();
        var previous = AppDomain.CurrentDomain.GetData("DataDirectory");
        try
        {
            for (var round = 0; round < 2; round++)
            {
                foreach (var (directory, name) in new[] { (first, "Keyboard"), (second, "Keyboard of the second application") })
                {
                    AppDomain.CurrentDomain.SetData("DataDirectory", directory);
                    Assert.Equal(name, await KeyboardNameAsync(new DbContextOptionsBuilder<ShopContext>().UseSqlite(connectionString).Options));
                    Assert.Equal(name, await KeyboardNameAsync(new DbContextOptionsBuilder<ShopContext>().UseSqlite(connectionString)
                        .UseRedisCacheAside(redis.Connection, o =>
                        {
                            o.KeyPrefix = prefix;
                            o.RedisTimeout = ShopHarness.RoomyBudget;
                        }).Options));
                }
            }
        }
        finally
        {
            AppDomain.CurrentDomain.SetData("DataDirectory", previous);
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Seed(string path, string keyboardName)
    {
        var options = new DbContextOptionsBuilder<ShopContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
        using var context = new ShopContext(options);
        context.Database.EnsureCreated();
        ShopSeed.Seed(context);
        context.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = keyboardName;
        context.SaveChanges();
    }

    private static async Task<string> KeyboardNameAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        return await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync();
    }
}
