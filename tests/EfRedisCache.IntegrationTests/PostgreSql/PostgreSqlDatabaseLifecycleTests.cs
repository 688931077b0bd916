using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A database dropped, re-created, restored from a template or renamed while Redis keeps the entries read from the
/// one before (test suites sharing one Redis, blue/green swaps, restores): the next read must see the new database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlDatabaseLifecycleTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnsureDeleted_and_EnsureCreated_with_a_new_seed_invalidate_the_old_databases_entries(bool async)
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await DatabaseReset.RecreateAndReseedAsync(shop, async);

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task EnsureDeleted_through_a_cached_context_then_a_database_recreated_by_an_uncached_tool_is_read_fresh()
    {
        // EnsureDeleted runs DROP DATABASE on the maintenance database; the schema and seed come from elsewhere.
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var context = shop.NewContext())
        {
            await context.Database.EnsureDeletedAsync();
        }

        await using (var tool = shop.NewUncachedContext())
        {
            await tool.Database.EnsureCreatedAsync();
            ShopSeed.Seed(tool);
            await tool.Database.ExecuteSqlRawAsync("UPDATE \"Products\" SET \"Name\" = 'Recreated' WHERE \"Id\" = 1");
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_database_restored_from_a_template_through_a_cached_context_on_another_database_is_read_fresh()
    {
        using var shop = NewShop();
        var template = Name(shop) + "_tpl";
        await using (var maintenance = MaintenanceContext(shop))
        {
            ClearPool(shop);
            await RunAsync(maintenance, $"CREATE DATABASE \"{template}\" TEMPLATE \"{Name(shop)}\"");
        }

        try
        {
            await using (var writer = shop.NewContext())
            {
                (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Changed by the test";
                await writer.SaveChangesAsync();
            }

            var products = ShopQueries.Products(shop);
            var p0 = products.Warm();

            await using (var maintenance = MaintenanceContext(shop))
            {
                ClearPool(shop);
                await RunAsync(maintenance, $"DROP DATABASE \"{Name(shop)}\" WITH (FORCE)");
                await RunAsync(maintenance, $"CREATE DATABASE \"{Name(shop)}\" TEMPLATE \"{template}\"");
            }

            products.AssertInvalidatedAndFresh(p0);
        }
        finally
        {
            await using var maintenance = MaintenanceContext(shop);
            await RunAsync(maintenance, $"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_blue_green_swap_by_renaming_databases_through_a_cached_context_is_read_fresh()
    {
        using var shop = NewShop();
        var green = Name(shop) + "_green";
        var blue = Name(shop) + "_blue";
        await using (var maintenance = MaintenanceContext(shop))
        {
            ClearPool(shop);
            await RunAsync(maintenance, $"CREATE DATABASE \"{green}\" TEMPLATE \"{Name(shop)}\"");
        }

        try
        {
            await using (var greenContext = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseNpgsql(WithDatabase(shop, green)).Options))
            {
                await greenContext.Database.ExecuteSqlRawAsync("UPDATE \"Products\" SET \"Name\" = 'Green keyboard' WHERE \"Id\" = 1");
            }

            var products = ShopQueries.Products(shop);
            var p0 = products.Warm();

            await using (var maintenance = MaintenanceContext(shop))
            {
                ClearPool(shop);
                NpgsqlConnection.ClearAllPools();
                await RunAsync(maintenance, $"ALTER DATABASE \"{Name(shop)}\" RENAME TO \"{blue}\"");
                await RunAsync(maintenance, $"ALTER DATABASE \"{green}\" RENAME TO \"{Name(shop)}\"");
            }

            products.AssertInvalidatedAndFresh(p0);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var maintenance = MaintenanceContext(shop);
            await RunAsync(maintenance, $"DROP DATABASE IF EXISTS \"{green}\" WITH (FORCE)");
            await RunAsync(maintenance, $"DROP DATABASE IF EXISTS \"{blue}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_merge_that_deletes_a_parent_row_invalidates_the_rows_the_database_cascaded_to()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var context = shop.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync(
                "MERGE INTO \"Categories\" AS c USING (VALUES (1)) AS s(id) ON c.\"Id\" = s.id WHEN MATCHED THEN DELETE");
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_writable_cte_read_through_SqlQuery_invalidates_its_table()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var context = shop.NewContext())
        {
            var renamed = await context.Database
                .SqlQueryRaw<string>("WITH u AS (UPDATE \"Products\" SET \"Name\" = 'Renamed in a CTE' WHERE \"Id\" = 1 RETURNING \"Name\") SELECT \"Name\" AS \"Value\" FROM u")
                .ToListAsync();
            Assert.Equal(["Renamed in a CTE"], renamed);
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_connection_moved_to_another_database_with_ChangeDatabase_reads_that_database()
    {
        var keyPrefix = redis.NewKeyPrefix();
        using var first = new ShopHarness(redis.Connection, keyPrefix, database: postgres.NewDatabase());
        using var second = new ShopHarness(redis.Connection, keyPrefix, database: postgres.NewDatabase());
        await using (var writer = second.NewUncachedContext())
        {
            await writer.Database.ExecuteSqlRawAsync("UPDATE \"Products\" SET \"Name\" = 'Second database' WHERE \"Id\" = 1");
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = first.NewContext();
            await context.Database.OpenConnectionAsync();
            Assert.Equal("Keyboard", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == 1)).Name);
            await context.Database.GetDbConnection().ChangeDatabaseAsync(Name(second));
            Assert.Equal("Second database", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == 1)).Name);
        }
    }

    private static Task RunAsync(DbContext context, string sql) => context.Database.ExecuteSqlRawAsync(sql);

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());

    private static string Name(ShopHarness shop) => new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString).Database!;

    private static string WithDatabase(ShopHarness shop, string database)
        => new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString) { Database = database }.ToString();

    private static void ClearPool(ShopHarness shop)
    {
        using var connection = new NpgsqlConnection(shop.Database.ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>A cached context on the server's maintenance database, under the shop's key prefix: where a DBA's tool runs DDL.</summary>
    private ShopContext MaintenanceContext(ShopHarness shop)
        => new(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(WithDatabase(shop, "postgres"))
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .Options);
}
