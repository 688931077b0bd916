using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 2 for writes that bypass the change tracker: ExecuteUpdate, ExecuteDelete and raw SQL
/// invalidate the tables they write (and those the database changes for them), and an unknown statement
/// invalidates the whole database.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class BulkAndRawSqlInvalidationTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteUpdate_on_products_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        var categories = ShopQueries.Categories(shop);
        var (p0, b0, k0) = (products.Warm(), keyboard.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var query = writer.Products.Where(p => p.Price > 10m);
            var updated = async
                ? await query.ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1))
                : query.ExecuteUpdate(s => s.SetProperty(p => p.Stock, p => p.Stock + 1));
            Assert.Equal(3, updated);
        }

        products.AssertInvalidatedAndFresh(p0);
        keyboard.AssertInvalidatedAndFresh(b0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteDelete_on_products_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var count = ShopQueries.ProductCount(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0, k0) = (products.Warm(), count.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var query = writer.Products.Where(p => p.Id == ShopSeed.MonitorId);
            Assert.Equal(1, async ? await query.ExecuteDeleteAsync() : query.ExecuteDelete());
        }

        products.AssertInvalidatedAndFresh(p0);
        count.AssertInvalidatedAndFresh(c0);
        categories.AssertStillHit(k0);
    }

    [Fact]
    public async Task ExecuteDelete_of_a_category_invalidates_the_products_the_database_cascaded()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var withTags = ShopQueries.ProductsWithTags(shop);
        var (p0, t0) = (products.Warm(), withTags.Warm());

        await using (var writer = shop.NewContext())
        {
            Assert.Equal(1, await writer.Categories.Where(c => c.Id == ShopSeed.BooksCategoryId).ExecuteDeleteAsync());
        }

        products.AssertInvalidatedAndFresh(p0);
        withTags.AssertInvalidatedAndFresh(t0);
    }

    [Fact]
    public void Raw_delete_of_an_order_invalidates_the_lines_the_database_cascaded()
    {
        using var shop = new ShopHarness(redis);
        var lines = ShopQueries.OrderLines(shop);
        var payments = ShopQueries.Payments(shop);
        var (l0, y0) = (lines.Warm(), payments.Warm());

        using (var writer = shop.NewContext())
        {
            Assert.Equal(1, writer.Database.ExecuteSqlRaw("DELETE FROM \"Orders\" WHERE \"Id\" = {0}", ShopSeed.AliceOrderId));
        }

        lines.AssertInvalidatedAndFresh(l0);
        payments.AssertInvalidatedAndFresh(y0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Raw_update_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, k0) = (products.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var name = "Ergonomic keyboard";
            var id = ShopSeed.KeyboardId;
            var updated = async
                ? await writer.Database.ExecuteSqlInterpolatedAsync($"UPDATE Products SET Name = {name} WHERE Id = {id}")
                : writer.Database.ExecuteSqlInterpolated($"UPDATE Products SET Name = {name} WHERE Id = {id}");
            Assert.Equal(1, updated);
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Raw_delete_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, k0) = (products.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            const string sql = "DELETE FROM [Products] WHERE [Id] = {0}";
            var deleted = async
                ? await writer.Database.ExecuteSqlRawAsync(sql, ShopSeed.MonitorId)
                : writer.Database.ExecuteSqlRaw(sql, ShopSeed.MonitorId);
            Assert.Equal(1, deleted);
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Raw_insert_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var count = ShopQueries.ProductCount(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0, k0) = (products.Warm(), count.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            const string sql = """
                -- a comment before the statement
                INSERT INTO "main"."Products" ("Id", "Name", "Price", "CreatedAt", "Sku", "Stock", "Status", "CategoryId")
                VALUES (20, 'Lamp', '9.5', '2024-01-01 00:00:00', '3f2504e0-4f89-11d3-9a0c-0305e82c3320', 1, 1, 1)
                """;
            var inserted = async ? await writer.Database.ExecuteSqlRawAsync(sql) : writer.Database.ExecuteSqlRaw(sql);
            Assert.Equal(1, inserted);
        }

        products.AssertInvalidatedAndFresh(p0);
        count.AssertInvalidatedAndFresh(c0);
        categories.AssertStillHit(k0);
    }

    [Fact]
    public void Raw_multi_statement_write_invalidates_every_table_it_writes_and_leaves_others_a_hit()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var dogs = ShopQueries.Dogs(shop);
        var (p0, k0, d0) = (products.Warm(), categories.Warm(), dogs.Warm());

        using (var writer = shop.NewContext())
        {
            writer.Database.ExecuteSqlRaw("""
                UPDATE Categories SET Name = 'Books & more' WHERE Id = 2;
                /* second statement */ update products set Price = Price * 2 where CategoryId = 2;
                """);
        }

        categories.AssertInvalidatedAndFresh(k0);
        products.AssertInvalidatedAndFresh(p0);
        dogs.AssertStillHit(d0);
    }

    [Fact]
    public void Raw_ddl_statement_invalidates_every_query_of_the_database()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var dogs = ShopQueries.Dogs(shop);
        var (k0, d0) = (categories.Warm(), dogs.Warm());

        using (var writer = shop.NewContext())
        {
            writer.Database.ExecuteSqlRaw("CREATE TABLE Scratch (Id INTEGER PRIMARY KEY, Note TEXT)");
        }

        // The truth did not change, so the check is that nothing is served from the cache any more.
        foreach (var (query, before) in new[] { (categories, k0), (dogs, d0) })
        {
            var value = query.Read(out var queries);
            Assert.True(queries > 0, $"{query.Name}: a statement of unknown effect must invalidate the whole database.");
            Assert.Equal(before, value);
        }
    }

    [Fact]
    public void Raw_write_through_a_reader_with_returning_invalidates_the_table()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            var deleted = writer.Products
                .FromSqlRaw("DELETE FROM Products WHERE Id = {0} RETURNING *", ShopSeed.MonitorId)
                .AsEnumerable()
                .ToList();
            Assert.Single(deleted);
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public void A_writing_reader_closed_after_its_context_was_disposed_throws_nothing_and_invalidates()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        var writer = shop.NewContext();
        var rows = writer.Products
            .FromSqlRaw("DELETE FROM Products WHERE Id = {0} RETURNING *", ShopSeed.MonitorId)
            .AsEnumerable()
            .GetEnumerator();
        Assert.True(rows.MoveNext());
        writer.Dispose();
        rows.Dispose(); // the reader closes now, after its context

        products.AssertInvalidatedAndFresh(p0);
    }
}
