using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Raw SQL spellings of a write to Products on SQLite — every identifier quote, case, comments, a schema name,
/// a string literal that holds SQL, UPDATE … FROM, a CTE, an upsert — each invalidates the cached products
/// and leaves the categories a hit unless the statement names them (UPDATE … FROM) or
/// holds a SELECT run as a non-query (whole database, on purpose).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SqliteRawSqlSpellingTests(RedisServerFixture redis)
{
    public static TheoryData<string, bool> Statements => new()
    {
        { "/* a comment; DELETE FROM Categories */ UPDATE [Products] SET Stock = Stock + 1 WHERE Id = 1", true },
        { "-- a comment\nupdate `products` set Stock = Stock + 1 where Id = 1", true },
        { "UPDATE main.\"PRODUCTS\" SET Name = 'x; DELETE FROM Categories; it''s' WHERE Id = 1", true },
        { "UPDATE Products SET Name = c.Name FROM Categories AS c WHERE c.Id = Products.CategoryId AND Products.Id = 1", false },
        { "WITH d(v) AS (SELECT 5) UPDATE Products SET Stock = (SELECT v FROM d) WHERE Id = 1", true },
        { "INSERT INTO Products (Id, Name, Price, CreatedAt, Sku, Stock, Status, CategoryId) VALUES (1, 'n', '1.0', '2024-01-01', X'00', 1, 0, 1) "
            + "ON CONFLICT (Id) DO UPDATE SET Name = excluded.Name", true },
        { "SELECT 1; UPDATE Products SET Stock = 3 WHERE Id = 1;", false },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task A_raw_write_to_products_invalidates_them_and_keeps_categories_a_hit_unless_named(string sql, bool categoriesStayHit)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0) = (products.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        products.AssertInvalidatedAndFresh(p0);
        if (categoriesStayHit)
        {
            categories.AssertStillHit(c0);
        }
        else
        {
            Assert.Equal(categories.Truth(), categories.Read(out _)); // named in the statement, or a SELECT run for its side effects: invalidated on purpose
        }
    }
}
