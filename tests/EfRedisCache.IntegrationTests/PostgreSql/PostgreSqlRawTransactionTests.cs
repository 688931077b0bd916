using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>PostgreSQL re-check of the snapshot bypass and of raw-SQL transactions.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRawTransactionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    /// <summary>
    /// The usual Npgsql way to get a snapshot when the isolation level is set in SQL: BeginTransaction(), then
    /// SET TRANSACTION ISOLATION LEVEL. The DbTransaction still reports the level it was begun with.
    /// </summary>
    [Theory]
    [InlineData("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
    public async Task A_snapshot_set_in_sql_inside_an_EF_transaction_reads_the_same_rows_as_without_the_cache(string set)
    {
        using var shop = NewShop();
        var products = new WatchedQuery(shop, "Products, no tracking", c => ShopQueries.Render(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));
        var p0 = products.Warm();

        await using var reader = shop.NewContext();
        await using var transaction = await reader.Database.BeginTransactionAsync();
        await reader.Database.ExecuteSqlRawAsync(set);

        await using var truthContext = new ShopContext(shop.Database.CreateOptions<ShopContext>(b => b.UseNpgsql(reader.Database.GetDbConnection())));
        await truthContext.Database.UseTransactionAsync(transaction.GetDbTransaction());
        Assert.Equal(p0, products.ReadWith(truthContext));

        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Written after the snapshot";
            await writer.SaveChangesAsync();
        }

        products.AssertInvalidatedAndFresh(p0);

        var truth = products.ReadWith(truthContext);
        Assert.Equal(p0, truth);
        var cached = products.ReadWith(reader);
        Assert.True(cached == truth, $"{set}: the cached read inside the transaction differs from the database's.\n cached: {cached}\n truth:  {truth}");
        await transaction.CommitAsync();
    }

    [Theory]
    [InlineData("START TRANSACTION ISOLATION LEVEL REPEATABLE READ", "COMMIT WORK")]
    [InlineData("BEGIN ISOLATION LEVEL SERIALIZABLE", "END")]
    [InlineData("BEGIN READ WRITE", "COMMIT")]
    public async Task A_raw_postgres_transaction_neither_leaks_uncommitted_rows_nor_leaves_stale_ones(string begin, string end)
    {
        using var shop = NewShop();
        var products = new WatchedQuery(shop, "Products, no tracking", c => ShopQueries.Render(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await writer.Database.ExecuteSqlRawAsync(begin);
            await writer.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Raw PG' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            Assert.Contains("Raw PG", products.ReadWith(writer), StringComparison.Ordinal);
            Assert.Equal(p0, products.Read(out _));
            await writer.Database.ExecuteSqlRawAsync(end);
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_raw_begin_on_a_connection_EF_closes_after_each_command_serves_no_uncommitted_row()
    {
        using var shop = NewShop();
        var products = new WatchedQuery(shop, "Products, no tracking", c => ShopQueries.Render(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync("BEGIN");
            await writer.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Raw PG' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            _ = products.ReadWith(writer);
            await writer.Database.ExecuteSqlRawAsync("ROLLBACK");
        }

        var truth = products.Truth();
        var read = products.Read(out _);
        Assert.True(read == truth, $"cached read differs from the database.\n cached: {read}\n truth:  {truth}\n before: {p0}");
    }

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
