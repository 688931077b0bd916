using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace EfRedisCache.IntegrationTests.Model;

/// <summary>The model and seed work on SQLite without the cache, so a failing cache test is the cache's fault.</summary>
public sealed class ShopModelTests
{
    [Fact]
    public void Seed_round_trips_without_the_cache()
    {
        using var database = new SqliteTestDatabase();
        var options = database.CreateOptions<ShopContext>();
        using (var context = new ShopContext(options))
        {
            database.EnsureCreated(context);
            ShopSeed.Seed(context);
        }

        using (var context = new ShopContext(options))
        {
            var keyboard = context.Products.Include(p => p.Category).Include(p => p.Tags).Single(p => p.Id == ShopSeed.KeyboardId);
            Assert.Equal(49.99m, keyboard.Price);
            Assert.Equal(ShopSeed.CreatedAt, keyboard.CreatedAt);
            Assert.Equal(TimeSpan.FromHours(2), keyboard.Released!.Value.Offset);
            Assert.Equal("Hardware", keyboard.Category.Name);
            Assert.Equal(2, keyboard.Tags.Count);

            var alice = context.Customers.Single(c => c.Id == ShopSeed.AliceId);
            Assert.Equal("Springfield", alice.Address!.City);
            Assert.Equal(2, alice.Phones.Count);

            Assert.Equal(2, context.Orders.Include(o => o.Lines).Single().Lines.Count);
            Assert.Single(context.Payments.OfType<CardPayment>());
            Assert.Single(context.Vehicles.OfType<Truck>());
            Assert.Equal(2, context.Animals.Count());
            Assert.Equal(ShopSeed.ProductCount, context.Products.Count());
        }

        Assert.True(File.Exists(database.FilePath));
    }

    [Fact]
    public void Dispose_deletes_the_database_file()
    {
        string path;
        using (var database = new SqliteTestDatabase())
        {
            path = database.FilePath;
            using var context = new ShopContext(database.CreateOptions<ShopContext>());
            database.EnsureCreated(context);
        }

        Assert.False(File.Exists(path));
    }
}
