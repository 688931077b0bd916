using System.Data.Common;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// A unit-of-work loop over one open <c>NpgsqlConnection</c>: each pass begins a transaction with ADO.NET, hands it to
/// the context with <c>UseTransaction</c>, saves and commits it. Npgsql hands back the same transaction object every
/// pass, so EF Core takes a second <c>UseTransaction</c> of it for the one it already has and reports nothing; the
/// first pass's commit then looks like the still-open second transaction to the cache, and is invalidated only when
/// that one ends (README, Limits). The remedy README gives — <c>UseTransaction(null)</c> after the commit — makes
/// the next hand-over one EF Core reports, which publishes what the object owed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlReusedTransactionObjectTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_committed_by_the_application_and_released_is_seen_while_the_next_transaction_on_the_recycled_object_is_open(bool async)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var connection = new NpgsqlConnection(shop.Database.ConnectionString);
        await connection.OpenAsync();
        await using var context = new ShopContext(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connection)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .Options);

        DbTransaction first;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            first = transaction;
            await context.Database.UseTransactionAsync(transaction);
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed by the first pass";
            await Writes.SaveAsync(context, async);
            await transaction.CommitAsync();
            if (async)
            {
                await context.Database.UseTransactionAsync(null);
            }
            else
            {
                context.Database.UseTransaction(null);
            }
        }

        // The second pass begins; the application hands its transaction over as before.
        await using var second = await connection.BeginTransactionAsync();
        Assert.Same(first, second); // Npgsql recycles the object: the premise of the test
        if (async)
        {
            await context.Database.UseTransactionAsync(second);
        }
        else
        {
            context.Database.UseTransaction(second);
        }

        // Another context reads while the second pass is open: the first pass has committed.
        products.AssertInvalidatedAndFresh(p0);
        await second.RollbackAsync();
    }
}
