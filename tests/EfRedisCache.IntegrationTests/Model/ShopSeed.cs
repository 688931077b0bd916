using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Model;

/// <summary>
/// The same small data set every time, with fixed keys so tests can name rows (<see cref="KeyboardId"/>, ...).
/// Values are picked to catch lossy round trips: fractional decimals, UTC kinds, a non-zero offset, nulls, bytes.
/// </summary>
public static class ShopSeed
{
    public const int HardwareCategoryId = 1;
    public const int BooksCategoryId = 2;
    public const int KeyboardId = 1;
    public const int MouseId = 2;
    public const int MonitorId = 3;
    public const int NovelId = 4;
    public const int ProductCount = 4;
    public const int AliceId = 1;
    public const int BobId = 2;
    public const int AliceOrderId = 1;

    public static readonly DateTime CreatedAt = new(2024, 1, 15, 10, 30, 45, 123, DateTimeKind.Utc);

    public static void Seed(ShopContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var hardware = new Category { Id = HardwareCategoryId, Name = "Hardware" };
        var books = new Category { Id = BooksCategoryId, Name = "Books" };
        var sale = new Tag { Id = 1, Label = "sale" };
        var newTag = new Tag { Id = 2, Label = "new" };

        var keyboard = new Product
        {
            Id = KeyboardId,
            Name = "Keyboard",
            Price = 49.99m,
            CreatedAt = CreatedAt,
            Sku = new Guid("3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            Rating = 4.5,
            Stock = 10_000_000_000L,
            Status = ProductStatus.Active,
            Image = [0x00, 0xFF, 0x10, 0x80],
            AvailableFrom = new DateOnly(2024, 2, 1),
            Released = new DateTimeOffset(2024, 2, 1, 9, 0, 0, TimeSpan.FromHours(2)),
            Category = hardware,
        };
        var mouse = new Product
        {
            Id = MouseId,
            Name = "Mouse",
            Price = 19.5m,
            CreatedAt = CreatedAt.AddDays(1),
            Sku = new Guid("3f2504e0-4f89-11d3-9a0c-0305e82c3302"),
            Rating = null,
            Stock = 0,
            Status = ProductStatus.Draft,
            Image = null,
            AvailableFrom = null,
            Released = null,
            Category = hardware,
        };
        var monitor = new Product
        {
            Id = MonitorId,
            Name = "Monitor 27\"",
            Price = 299.000m,
            CreatedAt = CreatedAt.AddDays(2),
            Sku = new Guid("3f2504e0-4f89-11d3-9a0c-0305e82c3303"),
            Rating = 3.25,
            Stock = 7,
            Status = ProductStatus.Discontinued,
            Image = [],
            AvailableFrom = new DateOnly(2023, 12, 31),
            Released = new DateTimeOffset(2023, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)),
            Category = hardware,
        };
        var novel = new Product
        {
            Id = NovelId,
            Name = "Ünïcødé novel",
            Price = 0.01m,
            CreatedAt = CreatedAt.AddDays(3),
            Sku = new Guid("3f2504e0-4f89-11d3-9a0c-0305e82c3304"),
            Rating = 5.0,
            Stock = 1,
            Status = ProductStatus.Active,
            Category = books,
        };
        keyboard.Tags.AddRange([sale, newTag]);
        mouse.Tags.Add(sale);
        novel.Tags.Add(newTag);

        var alice = new Customer
        {
            Id = AliceId,
            Name = "Alice",
            Address = new Address { Street = "1 Main St", City = "Springfield", PostalCode = "12345" },
        };
        alice.Phones.AddRange([new Phone { Kind = "home", Number = "555-0100" }, new Phone { Kind = "work", Number = "555-0101" }]);
        var bob = new Customer { Id = BobId, Name = "Bob", Address = null };

        var order = new Order { Id = AliceOrderId, Customer = alice, PlacedAt = CreatedAt.AddDays(10) };
        order.Lines.AddRange(
        [
            new OrderLine { Id = 1, Product = keyboard, Quantity = 1, UnitPrice = 49.99m },
            new OrderLine { Id = 2, Product = mouse, Quantity = 2, UnitPrice = 19.5m },
        ]);
        order.Payments.AddRange(
        [
            new CardPayment { Id = 1, Amount = 50m, Last4 = "4242" },
            new CashPayment { Id = 2, Amount = 38.99m, Tendered = 40m },
        ]);

        context.AddRange(hardware, books, sale, newTag, keyboard, mouse, monitor, novel, alice, bob, order);
        context.AddRange(
            new Car { Id = 1, Make = "Volvo", Seats = 5 },
            new Truck { Id = 2, Make = "MAN", PayloadKg = 18_000 },
            new Dog { Id = 1, Name = "Rex", Breed = "Collie" },
            new Cat { Id = 2, Name = "Tom", Lives = 9 });
        var postgres = context.Database.IsNpgsql();
        if (postgres)
        {
            // Npgsql writes a timestamptz only from offset 0; the instant stays the same.
            foreach (var product in new[] { keyboard, mouse, monitor, novel })
            {
                product.Released = product.Released?.ToUniversalTime();
            }
        }

        context.SaveChanges();
        if (postgres)
        {
            // The explicit keys above left the identity at 1: new products get keys from 100 on.
            context.Database.ExecuteSqlRaw("ALTER TABLE \"Products\" ALTER COLUMN \"Id\" RESTART WITH 100");
        }
    }
}
