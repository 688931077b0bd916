using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// SQLite files reset, rebuilt or written through another file's connection while Redis keeps the entries read
/// before (test suites sharing one Redis, restores): the next read must see the database as it is now.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DatabaseLifecycleTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnsureDeleted_and_EnsureCreated_then_a_seed_through_raw_sql_are_read_fresh(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await DatabaseReset.RecreateAndReseedAsync(shop, async);

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_table_dropped_and_created_again_with_other_rows_through_raw_sql_is_read_fresh()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var c0 = categories.Warm();

        await using (var context = shop.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync(
                "PRAGMA foreign_keys = 0; ALTER TABLE \"Categories\" RENAME TO \"Categories_old\"; " +
                "CREATE TABLE \"Categories\" AS SELECT \"Id\", 'New ' || \"Name\" AS \"Name\" FROM \"Categories_old\"; " +
                "DROP TABLE \"Categories_old\"; PRAGMA foreign_keys = 1;");
        }

        categories.AssertInvalidatedAndFresh(c0);
    }

    [Fact]
    public async Task Insert_or_replace_of_a_parent_row_invalidates_the_rows_the_database_cascaded_to()
    {
        // SQLite's REPLACE deletes the conflicting row before inserting: ON DELETE CASCADE empties its children.
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var context = shop.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync("INSERT OR REPLACE INTO \"Categories\" (\"Id\", \"Name\") VALUES (1, 'Hardware again')");
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_write_to_an_attached_database_invalidates_that_databases_entries()
    {
        await AssertAJobOnTheMainFileInvalidatesTheArchiveAsync(archivePath =>
            "ATTACH DATABASE '" + archivePath + "' AS archive; " +
            "UPDATE archive.\"Products\" SET \"Name\" = 'Archived keyboard' WHERE \"Id\" = 1; " +
            "DETACH DATABASE archive;");
    }

    [Fact]
    public async Task A_table_of_an_attached_database_rebuilt_by_raw_ddl_invalidates_that_databases_entries()
    {
        // DDL alone, no INSERT/UPDATE/DELETE to name the attached table: the rebuilt table lacks row 1.
        await AssertAJobOnTheMainFileInvalidatesTheArchiveAsync(archivePath =>
            "PRAGMA foreign_keys = 0; ATTACH DATABASE '" + archivePath + "' AS archive; " +
            "ALTER TABLE archive.\"Products\" RENAME TO \"Products_old\"; " +
            "CREATE TABLE archive.\"Products\" AS SELECT * FROM archive.\"Products_old\" WHERE \"Id\" <> 1; " +
            "DROP TABLE archive.\"Products_old\"; DETACH DATABASE archive; PRAGMA foreign_keys = 1;");
    }

    /// <summary>
    /// An archive file with a cached context of its own, its products warm, changed by a job that runs
    /// <paramref name="jobSql"/> (given the archive's path) on the main file's connection: the archive's entries must die.
    /// </summary>
    private async Task AssertAJobOnTheMainFileInvalidatesTheArchiveAsync(Func<string, string> jobSql)
    {
        var keyPrefix = redis.NewKeyPrefix();
        using var main = new ShopHarness(redis.Connection, keyPrefix);
        using var archive = new ShopHarness(redis.Connection, keyPrefix);
        var archived = ShopQueries.Products(archive);
        var a0 = archived.Warm();

        await using (var job = main.NewContext())
        {
            await job.Database.ExecuteSqlRawAsync(jobSql(((SqliteTestDatabase)archive.Database).FilePath));
        }

        archived.AssertInvalidatedAndFresh(a0);
    }

    [Fact]
    public async Task A_read_of_an_attached_database_sees_writes_through_that_databases_own_context()
    {
        // The main file's context reads the archive through ATTACH (run on the connection, as a connection
        // interceptor does, so the cache does not see it); the archive's own context writes it.
        var keyPrefix = redis.NewKeyPrefix();
        using var main = new ShopHarness(redis.Connection, keyPrefix);
        using var archive = new ShopHarness(redis.Connection, keyPrefix);
        var attach = "ATTACH DATABASE '" + ((SqliteTestDatabase)archive.Database).FilePath + "' AS archive";

        async Task<string> ReadArchiveThroughMainAsync()
        {
            await using var context = main.NewContext();
            await context.Database.OpenConnectionAsync();
            await RunOnConnectionAsync(context, attach);
            var name = (await context.Products.FromSqlRaw("SELECT * FROM archive.\"Products\" WHERE \"Id\" = 1").AsNoTracking().Cacheable().SingleAsync()).Name;
            await RunOnConnectionAsync(context, "DETACH DATABASE archive"); // the pool keeps the native connection
            return name;
        }

        Assert.Equal("Keyboard", await ReadArchiveThroughMainAsync());
        Assert.Equal("Keyboard", await ReadArchiveThroughMainAsync());
        await using (var writer = archive.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == 1)).Name = "Archived keyboard";
            await writer.SaveChangesAsync();
        }

        Assert.Equal("Archived keyboard", await ReadArchiveThroughMainAsync());
    }

    private static async Task RunOnConnectionAsync(DbContext context, string sql)
    {
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_context_moved_to_another_file_with_SetConnectionString_reads_that_file()
    {
        var keyPrefix = redis.NewKeyPrefix();
        using var first = new ShopHarness(redis.Connection, keyPrefix);
        using var second = new ShopHarness(redis.Connection, keyPrefix);
        await using (var writer = second.NewUncachedContext())
        {
            await writer.Database.ExecuteSqlRawAsync("UPDATE \"Products\" SET \"Name\" = 'Second file' WHERE \"Id\" = 1");
        }

        await using var context = first.NewContext();
        for (var i = 0; i < 2; i++)
        {
            context.Database.SetConnectionString(first.Database.ConnectionString);
            Assert.Equal("Keyboard", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == 1)).Name);
            context.Database.SetConnectionString(second.Database.ConnectionString);
            Assert.Equal("Second file", (await context.Products.AsNoTracking().Cacheable().SingleAsync(p => p.Id == 1)).Name);
        }
    }
}
