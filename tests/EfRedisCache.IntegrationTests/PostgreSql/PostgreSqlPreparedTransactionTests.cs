using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's two-phase commit: <c>PREPARE TRANSACTION 'x'</c> ends the session's transaction without committing
/// it, and <c>COMMIT PREPARED 'x'</c>, on any connection, commits it later. The scanner took <c>COMMIT PREPARED</c>
/// for a plain <c>COMMIT</c> that changes no data: rows read between the two were cached and outlived the commit.
/// Needs <c>max_prepared_transactions</c> above zero (the local server sets it; a server named by
/// <c>EFRC_TEST_POSTGRES</c> must too).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPreparedTransactionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Commit_prepared_invalidates_what_the_prepared_transaction_wrote()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var gid = "efrc-" + Guid.NewGuid().ToString("N");
        var prepare = $"PREPARE TRANSACTION '{gid}'";
        var commitPrepared = $"COMMIT PREPARED '{gid}'";
        await using (var writer = shop.NewContext())
        {
            await writer.Database.OpenConnectionAsync();
            await writer.Database.ExecuteSqlRawAsync("BEGIN");
            await writer.Database.ExecuteSqlRawAsync($"UPDATE \"Products\" SET \"Name\" = 'Keys' WHERE \"Id\" = {ShopSeed.KeyboardId}");
            await writer.Database.ExecuteSqlRawAsync(prepare);
        }

        // Prepared, not committed: a reader caches the committed rows.
        await using (var reader = shop.NewContext())
        {
            Assert.StartsWith("Keyboard,", await NamesAsync(reader), StringComparison.Ordinal);
        }

        await using (var coordinator = shop.NewContext())
        {
            await coordinator.Database.ExecuteSqlRawAsync(commitPrepared);
        }

        await using var after = shop.NewContext();
        await using var truth = shop.NewUncachedContext();
        Assert.Equal(await NamesAsync(truth), await NamesAsync(after));
    }

    private static async Task<string> NamesAsync(ShopContext context)
        => string.Join(",", await context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync());
}
