using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A pooled context whose lease left a raw transaction open: the pool closes the connection, which on SQLite does
/// not end the transaction (the pooled native connection keeps it), and the next lease reads inside it. So does any
/// other connection with the same connection string that Microsoft.Data.Sqlite's pool hands that native connection.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class PooledRawSqlTransactionTests(RedisServerFixture redis)
{
    /// <summary>
    /// A context (pooled or not) that left a raw <c>BEGIN</c> and a write uncommitted returns its native connection to
    /// Microsoft.Data.Sqlite's pool with the transaction open; the pool hands it to the next connection opened with the
    /// same string — another context's, which ran no <c>BEGIN</c> and so was not taken for one in a transaction. Its
    /// cached read stored the uncommitted row, and every context, on any connection or process, was served it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_raw_transaction_left_in_the_connection_pool_never_puts_its_uncommitted_row_in_the_cache(bool pooledContext)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        var first = pooledContext ? await factory.CreateDbContextAsync() : shop.NewContext();
        await first.Database.OpenConnectionAsync();
        await first.Database.ExecuteSqlRawAsync("BEGIN");
        await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        await first.DisposeAsync();

        // A context on a connection of the same string: the pool hands it the native connection, transaction and all.
        var inside = products.Read(out _);

        // Outside that transaction (a connection of its own; pooling is no part of the cache key): the committed rows.
        var unpooled = new SqliteConnectionStringBuilder(shop.Database.ConnectionString) { Pooling = false }.ToString();
        string truth;
        await using (var uncached = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseSqlite(unpooled).Options))
        {
            truth = products.ReadWith(uncached);
        }

        Assert.Equal(p0, truth);
        await using var outside = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseSqlite(unpooled).UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix).Options);
        var cached = products.ReadWith(outside);
        Assert.True(cached == truth, $"the cache serves a row no transaction committed.\n cached: {cached}\n truth:  {truth}\n read inside the left transaction: {inside}");
    }

    /// <summary>
    /// The same, with every context's connection behind a profiler's pass-through wrapper (MiniProfiler's
    /// <c>ProfiledDbConnection</c>, here <see cref="ReadPath.TracingConnection"/>): the wrapper hides the SQLite
    /// connection, and SQLite was not asked whether the native connection the pool handed over is inside a transaction.
    /// </summary>
    [Fact]
    public async Task A_raw_transaction_left_in_the_connection_pool_never_puts_its_uncommitted_row_in_the_cache_through_a_wrapped_connection()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        ShopContext NewWrappedContext(string? connectionString = null) => new((DbContextOptions<ShopContext>)new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(new ReadPath.TracingConnection(new SqliteConnection(connectionString ?? shop.Database.ConnectionString)), contextOwnsConnection: true)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .Options);

        await using (var first = NewWrappedContext())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        }

        string inside;
        await using (var second = NewWrappedContext())
        {
            inside = products.ReadWith(second); // the pool hands it the native connection, transaction and all
        }

        var unpooled = new SqliteConnectionStringBuilder(shop.Database.ConnectionString) { Pooling = false }.ToString();
        string truth;
        await using (var uncached = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseSqlite(unpooled).Options))
        {
            truth = products.ReadWith(uncached);
        }

        Assert.Equal(p0, truth);
        await using var outside = NewWrappedContext(unpooled);
        var cached = products.ReadWith(outside);
        Assert.True(cached == truth, $"the cache serves a row no transaction committed.\n cached: {cached}\n truth:  {truth}\n read inside the left transaction: {inside}");
    }

    /// <summary>
    /// The same inherited transaction, written to and committed by the connection that inherited it. Its write was taken
    /// for a committed one and invalidated at once, so a reader outside the transaction cached the committed rows from
    /// before it under the new versions; its <c>COMMIT</c>, with no transaction known on that connection, invalidated
    /// nothing, and the old row stayed cached after the commit.
    /// </summary>
    [Fact]
    public async Task A_write_inside_a_transaction_inherited_from_the_connection_pool_is_invalidated_at_its_commit()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var first = shop.NewContext())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
        }

        var unpooled = new SqliteConnectionStringBuilder(shop.Database.ConnectionString) { Pooling = false }.ToString();
        var outsideOptions = new DbContextOptionsBuilder<ShopContext>().UseSqlite(unpooled).UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix).Options;
        await using (var second = shop.NewContext())
        {
            await second.Database.OpenConnectionAsync(); // the pool hands it the native connection, transaction and all
            await second.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Written inside' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            await using (var outside = new ShopContext(outsideOptions))
            {
                Assert.Equal(p0, products.ReadWith(outside)); // the committed rows, cached meanwhile
            }

            await second.Database.ExecuteSqlRawAsync("COMMIT");
        }

        string truth;
        await using (var uncached = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseSqlite(unpooled).Options))
        {
            truth = products.ReadWith(uncached);
        }

        Assert.Contains("Written inside", truth, StringComparison.Ordinal);
        await using (var outside = new ShopContext(outsideOptions))
        {
            var cached = products.ReadWith(outside);
            Assert.True(cached == truth, $"the committed write is not seen through the cache.\n cached: {cached}\n truth:  {truth}");
        }
    }

    [Fact]
    public async Task The_next_lease_of_a_pooled_context_does_not_cache_a_row_its_predecessor_left_uncommitted()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        await using (var first = await factory.CreateDbContextAsync())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        }

        string seen;
        await using (var second = await factory.CreateDbContextAsync())
        {
            seen = products.ReadWith(second);
            try
            {
                await second.Database.ExecuteSqlRawAsync("ROLLBACK");
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // no transaction was left open
            }
        }

        var truth = products.Truth();
        var read = products.Read(out _);
        Assert.True(read == truth, $"cached read differs from the database.\n cached: {read}\n truth:  {truth}\n second lease saw: {seen}\n before: {p0}");
    }

    /// <summary>
    /// With <c>Pooling=False</c>, closing the connection closes the native connection, and SQLite rolls the raw
    /// transaction back: a pooled context's next lease reads outside any transaction and must read through the cache
    /// again, not bypass it for as long as the pooled context lives (as on Npgsql:
    /// <c>PostgreSql/PostgreSqlPooledRawTransactionTests</c>).
    /// </summary>
    [Fact]
    public async Task Without_connection_pooling_the_next_lease_after_a_raw_transaction_left_open_reads_through_the_cache_again()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: new SqliteTestDatabase(pooling: false));
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        await using (var first = await factory.CreateDbContextAsync())
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.ExecuteSqlRawAsync("BEGIN");
            await first.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Left uncommitted' WHERE \"Id\" = {ShopSeed.KeyboardId}");
        }

        Assert.Equal(p0, products.Truth()); // the close rolled it back

        await using (var second = await factory.CreateDbContextAsync())
        {
            Assert.Equal(p0, products.ReadWith(second));
            var before = shop.Counter.Queries;
            Assert.Equal(p0, products.ReadWith(second));
            Assert.True(shop.Counter.Queries == before, "the next lease bypassed the cache: a transaction its predecessor left open was taken for still open");
        }

        Assert.Equal(p0, products.Read(out _));
    }
}
