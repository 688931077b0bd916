using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL: a read that locks rows (<c>SELECT … FOR UPDATE</c> through FromSql) runs for its lock; an answer
/// from Redis would take none. It is never served from the cache, also under <c>CacheAllQueries</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlLockingReadTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Select_for_update_in_a_transaction_under_CacheAllQueries_takes_the_row_lock()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        const string lockKeyboard = "SELECT * FROM \"Products\" WHERE \"Id\" = 1 FOR UPDATE";
        await using (var context = shop.NewContext())
        {
            Assert.Single(await context.Products.FromSqlRaw(lockKeyboard).AsNoTracking().ToListAsync()); // outside a transaction: stored
        }

        await using var holder = shop.NewContext();
        await using var holding = await holder.Database.BeginTransactionAsync();
        Assert.Single(await holder.Products.FromSqlRaw(lockKeyboard).AsNoTracking().ToListAsync()); // must lock row 1 until the rollback

        await using var other = shop.NewUncachedContext();
        await using var waiting = await other.Database.BeginTransactionAsync();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => other.Products.FromSqlRaw(lockKeyboard + " NOWAIT").AsNoTracking().ToListAsync());
        var postgresError = refused as PostgresException ?? refused.InnerException as PostgresException;
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, postgresError?.SqlState);
    }
}
