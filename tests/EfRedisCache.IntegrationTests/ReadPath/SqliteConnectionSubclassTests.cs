using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A context on an application's subclass of <see cref="SqliteConnection"/> (<see cref="PragmaSettingConnection"/>):
/// it reaches the same file, and SQLite holds its transactions, as on the provider's own connection.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SqliteConnectionSubclassTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_raw_transaction_on_a_subclassed_connection_never_puts_its_uncommitted_row_in_the_cache()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var c0 = categories.Warm();

        await using (var writer = NewSubclassContext(shop))
        {
            await writer.Database.OpenConnectionAsync();
            await writer.Database.ExecuteSqlRawAsync("BEGIN");
            await writer.Database.ExecuteSqlRawAsync("INSERT INTO \"Categories\" (\"Id\", \"Name\") VALUES (77, 'Never committed')");
            Assert.Contains("Never committed", categories.ReadWith(writer), StringComparison.Ordinal);
            await writer.Database.ExecuteSqlRawAsync("ROLLBACK");
        }

        await using var other = NewSubclassContext(shop);
        var read = categories.ReadWith(other);
        Assert.True(read == c0, $"another context read a row that was never committed.\n read:  {read}\n truth: {c0}");
    }

    /// <summary>
    /// The raw transaction left open in Microsoft.Data.Sqlite's pool (<see cref="PooledRawSqlTransactionTests"/>): the
    /// next subclassed connection of the same string is handed it, and SQLite must be asked whether it is in one.
    /// </summary>
    [Fact]
    public async Task A_raw_transaction_left_in_the_pool_by_a_subclassed_connection_never_puts_its_uncommitted_row_in_the_cache()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var c0 = categories.Warm();

        await using (var first = NewSubclassContext(shop))
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync("INSERT INTO \"Categories\" (\"Id\", \"Name\") VALUES (77, 'Left uncommitted')");
        }

        string inside;
        await using (var second = NewSubclassContext(shop))
        {
            inside = categories.ReadWith(second); // the pool hands it the native connection, transaction and all
        }

        var unpooled = new SqliteConnectionStringBuilder(shop.Database.ConnectionString) { Pooling = false }.ToString();
        await using var outside = NewSubclassContext(shop, unpooled);
        var cached = categories.ReadWith(outside);
        Assert.True(cached == c0, $"the cache serves a row no transaction committed.\n cached: {cached}\n truth:  {c0}\n read inside the left transaction: {inside}");
    }

    /// <summary>
    /// With <c>Pooling=False</c> a close rolls a raw transaction back (<see cref="PooledRawSqlTransactionTests"/>): on the
    /// subclass too the mark must end with it, or every later context on that connection object bypasses the cache.
    /// </summary>
    [Fact]
    public async Task Without_connection_pooling_a_subclassed_connection_closed_inside_a_raw_transaction_reads_through_the_cache_again()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: new SqliteTestDatabase(pooling: false));
        var categories = ShopQueries.Categories(shop);
        var c0 = categories.Warm();
        await using var connection = new PragmaSettingConnection(shop.Database.ConnectionString);
        ShopContext NewContext() => new((DbContextOptions<ShopContext>)new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(connection, contextOwnsConnection: false)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter)
            .Options);

        await using (var first = NewContext())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync("INSERT INTO \"Categories\" (\"Id\", \"Name\") VALUES (77, 'Left uncommitted')");
            await first.Database.CloseConnectionAsync();
        }

        await using var second = NewContext();
        Assert.Equal(c0, categories.ReadWith(second)); // the close rolled it back
        var before = shop.Counter.Queries;
        Assert.Equal(c0, categories.ReadWith(second));
        Assert.True(shop.Counter.Queries == before, "the connection bypassed the cache: a transaction its close rolled back was taken for still open");
    }

    /// <summary>One file, reached through the subclass by one part of the application and the plain connection by another.</summary>
    [Fact]
    public async Task Writes_through_a_subclassed_connection_and_a_plain_one_invalidate_each_others_entries()
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);

        await using (var subclass = NewSubclassContext(shop))
        {
            categories.ReadWith(subclass);
        }

        await using (var plain = shop.NewContext())
        {
            plain.Categories.Add(new Category { Id = 77, Name = "Saved through the plain connection" });
            await plain.SaveChangesAsync();
        }

        await using (var subclass = NewSubclassContext(shop))
        {
            Assert.Contains("Saved through the plain connection", categories.ReadWith(subclass), StringComparison.Ordinal);
        }

        await using (var plain = shop.NewContext())
        {
            categories.ReadWith(plain);
        }

        await using (var subclass = NewSubclassContext(shop))
        {
            subclass.Categories.Add(new Category { Id = 78, Name = "Saved through the subclass" });
            await subclass.SaveChangesAsync();
        }

        await using (var plain = shop.NewContext())
        {
            Assert.Contains("Saved through the subclass", categories.ReadWith(plain), StringComparison.Ordinal);
        }
    }

    private ShopContext NewSubclassContext(ShopHarness shop, string? connectionString = null)
        => new((DbContextOptions<ShopContext>)new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(new PragmaSettingConnection(connectionString ?? shop.Database.ConnectionString), contextOwnsConnection: true)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .Options);
}
