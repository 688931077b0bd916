using System.Data;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A repeatable-read or serializable transaction reads one snapshot: a hit on rows committed after it would
/// differ from what the database answers inside the transaction, so the cache serves none there.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSnapshotIsolationTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(IsolationLevel.RepeatableRead)]
    [InlineData(IsolationLevel.Serializable)]
    public async Task A_snapshot_transaction_reads_the_same_rows_as_without_the_cache(IsolationLevel isolation)
    {
        using var shop = NewShop();
        // No tracking: a tracking query would hand back the entities the context already tracks, whatever the rows say.
        var products = new WatchedQuery(shop, "Products, no tracking", c => ShopQueries.Render(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));
        var p0 = products.Warm();

        await using var reader = shop.NewContext();
        await using var transaction = await reader.Database.BeginTransactionAsync(isolation);

        // An uncached context in the same transaction reads first: PostgreSQL takes the snapshot here.
        await using var truthContext = new ShopContext(shop.Database.CreateOptions<ShopContext>(b => b.UseNpgsql(reader.Database.GetDbConnection())));
        await truthContext.Database.UseTransactionAsync(transaction.GetDbTransaction());
        Assert.Equal(p0, products.ReadWith(truthContext));
        Assert.Equal(p0, products.ReadWith(reader));

        // Another context commits a write, and a third caches the new rows.
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Written after the snapshot";
            await writer.SaveChangesAsync();
        }

        var p1 = products.AssertInvalidatedAndFresh(p0);
        Assert.Equal(p1, products.Read(out _));

        // Inside the snapshot, the database still answers with the old rows: the cached query must too.
        var truth = products.ReadWith(truthContext);
        Assert.Equal(p0, truth);
        var cached = products.ReadWith(reader);
        Assert.True(cached == truth, $"{isolation}: the cached read inside the transaction differs from the database's.\n cached: {cached}\n truth:  {truth}");
        await transaction.CommitAsync();
    }

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
