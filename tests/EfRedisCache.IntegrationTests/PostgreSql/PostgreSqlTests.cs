using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.ReadPath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// The cache in front of a real PostgreSQL server through Npgsql's EF Core provider — the kind of database
/// most users run, with its own SQL (quoted identifiers, <c>UPDATE … AS</c>, <c>RETURNING</c>), parameter
/// handling, types and transactions. Transparency, every kind of write, row versions, transactions and
/// database identity, each against the database's own answer.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Every_column_type_joins_hierarchies_owned_types_and_aggregates_read_the_same_from_a_hit()
    {
        using var shop = NewShop();
        await using (var context = shop.NewUncachedContext())
        {
            context.Products.Add(new Product
            {
                Name = "",
                Price = 123456789.123456789m,
                CreatedAt = new DateTime(2031, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(1230), // PostgreSQL keeps microseconds
                Sku = Guid.Parse("ffffffff-0000-4000-8000-00000000000a"),
                Rating = 0.1 + 0.2,
                Stock = long.MaxValue,
                Status = ProductStatus.Discontinued,
                Image = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
                AvailableFrom = DateOnly.MaxValue,
                Released = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero),
                CategoryId = ShopSeed.BooksCategoryId,
            });
            await context.SaveChangesAsync();
        }

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(
            shop, async c => ReadPathProbe.Rows(await c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()));
        Assert.Equal(ShopSeed.ProductCount + 1, truth.Count);
        Assert.Equal(long.MaxValue, truth[^1].Stock);
        Assert.Equal(DateTimeKind.Utc, truth[^1].CreatedAtKind);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);

        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Categories.AsNoTracking().Include(cat => cat.Products.OrderBy(p => p.Id)).ThenInclude(p => p.Tags).OrderBy(cat => cat.Id).AsSplitQuery().Cacheable().ToListAsync())
            .Select(cat => $"{cat.Id}:{cat.Name}:{string.Join(";", cat.Products.Select(p => $"{p.Id}:{string.Join(",", p.Tags.OrderBy(t => t.Id).Select(t => t.Label))}"))}")
            .ToList());
        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Customers.AsNoTracking().OrderBy(x => x.Id).Cacheable().ToListAsync())
            .Select(x => $"{x.Id}:{x.Address?.City}:{string.Join(";", x.Phones.OrderBy(p => p.Kind).Select(p => p.Number))}")
            .ToList());
        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Vehicles.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync()).Select(v => $"{v.Id}:{v.GetType().Name}:{v.Make}").ToList());
        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Animals.AsNoTracking().OrderBy(a => a.Id).Cacheable().ToListAsync()).Select(a => $"{a.Id}:{a.GetType().Name}:{a.Name}").ToList());
        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Payments.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()).Select(p => $"{p.Id}:{p.GetType().Name}:{p.Amount}").ToList());
        await ReadPathProbe.AssertTransparentAsync(shop, c =>
            c.Products.Where(p => p.CategoryId == ShopSeed.HardwareCategoryId).Cacheable().SumAsync(p => p.Price));
    }

    [Fact]
    public async Task Saves_with_generated_keys_bulk_writes_and_raw_sql_are_seen_by_the_next_read()
    {
        using var shop = NewShop();
        var writes = new (string Name, Func<ShopContext, Task> Write)[]
        {
            ("SaveChanges of an update", async c =>
            {
                (await c.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId)).Stock += 1;
                await c.SaveChangesAsync();
            }),
            ("SaveChanges of an insert with a key from the database", async c =>
            {
                c.Products.Add(new Product { Name = "Webcam", Price = 59m, CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.HardwareCategoryId });
                await c.SaveChangesAsync();
            }),
            ("SaveChanges of a delete", async c =>
            {
                c.Products.Remove(await c.Products.SingleAsync(p => p.Name == "Webcam"));
                await c.SaveChangesAsync();
            }),
            ("ExecuteUpdate", c => c.Products.Where(p => p.Id == ShopSeed.MonitorId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1))),
            ("ExecuteDelete", c => c.Products.Where(p => p.Id == ShopSeed.NovelId).ExecuteDeleteAsync()),
            ("raw SQL", c => c.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Stock\" = \"Stock\" + 1 WHERE \"Id\" = {ShopSeed.KeyboardId}")),
        };

        foreach (var (name, write) in writes)
        {
            var before = await ReadTwiceAsync(shop);
            await using (var writer = shop.NewContext())
            {
                await write(writer);
            }

            var after = await TruthAsync(shop);
            Assert.NotEqual(before, after);
            shop.Counter.Reset();
            await using var reader = shop.NewContext();
            Assert.True(after.SequenceEqual(await RowsAsync(reader)), $"a read after {name} returned the rows from before it");
            Assert.Equal(1, shop.Counter.Queries);
        }
    }

    [Fact]
    public async Task Key_lookups_depend_on_their_row_so_saving_one_row_keeps_another_rows_lookup()
    {
        using var shop = NewShop();
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Equal("Keyboard", await NameOfAsync(context, ShopSeed.KeyboardId));
            Assert.Equal("Mouse", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.MouseId)).Name);
        }

        Assert.Equal(2, shop.Counter.Queries);
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", await NameOfAsync(context, ShopSeed.KeyboardId));
            Assert.Equal(0, shop.Counter.Queries); // row 1's lookup survived the save of row 2
            Assert.Equal("Trackball", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == ShopSeed.MouseId)).Name);
            Assert.Equal(1, shop.Counter.Queries);
        }

        static Task<string> NameOfAsync(ShopContext context, int id)
            => context.Products.Where(p => p.Id == id).Select(p => p.Name).Cacheable().SingleAsync();
    }

    [Fact]
    public async Task A_rollback_invalidates_nothing_and_a_commit_invalidates_what_it_wrote()
    {
        using var shop = NewShop();
        var before = await ReadTwiceAsync(shop);

        await using (var context = shop.NewContext())
        {
            await using var transaction = await context.Database.BeginTransactionAsync();
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Rolled back";
            await context.SaveChangesAsync();
            Assert.Contains(await RowsAsync(context), r => r.Contains("Rolled back", StringComparison.Ordinal)); // the writer sees its own write
            await transaction.RollbackAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            Assert.Equal(before, await RowsAsync(context));
        }

        Assert.Equal(0, shop.Counter.Queries); // the entry survived the rollback

        await using (var context = shop.NewContext())
        {
            await using var transaction = await context.Database.BeginTransactionAsync();
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed";
            await context.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.Contains(await RowsAsync(context), r => r.Contains("Committed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Two_databases_on_one_server_behind_one_key_prefix_never_read_each_others_entries()
    {
        var prefix = redis.NewKeyPrefix();
        using var first = new ShopHarness(redis.Connection, prefix, database: postgres.NewDatabase());
        using var second = new ShopHarness(redis.Connection, prefix, database: postgres.NewDatabase());
        await using (var context = second.NewUncachedContext())
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Keyboard of the second database";
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            foreach (var (shop, name) in new[] { (first, "Keyboard"), (second, "Keyboard of the second database") })
            {
                await using var context = shop.NewContext();
                Assert.Equal(name, await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
            }
        }

        Assert.Equal(1, first.Counter.Queries);
        Assert.Equal(1, second.Counter.Queries);
    }

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());

    private static async Task<List<string>> RowsAsync(ShopContext context)
        => (await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()).Select(p => ReadPathProbe.Row(p).ToString()).ToList();

    private static async Task<List<string>> TruthAsync(ShopHarness shop)
    {
        await using var context = shop.NewUncachedContext();
        return (await context.Products.AsNoTracking().OrderBy(p => p.Id).ToListAsync()).Select(p => ReadPathProbe.Row(p).ToString()).ToList();
    }

    /// <summary>Reads the product list twice, so its entry is in Redis and its rows kept in process; returns the rows.</summary>
    private static async Task<List<string>> ReadTwiceAsync(ShopHarness shop)
    {
        List<string> rows = [];
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            rows = await RowsAsync(context);
        }

        return rows;
    }
}
