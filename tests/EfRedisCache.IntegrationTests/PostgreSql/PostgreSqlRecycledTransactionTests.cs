using System.Data.Common;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// The life of an <c>NpgsqlTransaction</c> the application owns (<c>UseTransaction</c>). Npgsql hands out one
/// transaction object per physical connection and re-initialises it for every transaction begun on that
/// connection, so a registry keyed by the object sees the next transaction as the same one; and it answers the
/// <c>Connection</c> of a committed transaction until it is disposed. What an application-committed transaction
/// owes must be published on the next cached command, and neither wait for nor be dropped with the next
/// transaction on its connection.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlRecycledTransactionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_write_in_an_application_committed_transaction_is_invalidated_when_the_next_transaction_on_the_connection_rolls_back(bool async, bool nextBegunByApplication)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var connection = new NpgsqlConnection(shop.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var context = CachedContextOn(connection, shop);

            // EF Core's documented pattern: the application begins, hands over, commits and disposes its transaction.
            DbTransaction first;
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                first = transaction;
                await SaveKeyboardNameInAsync(context, transaction, "Committed by the application", async);
                await transaction.CommitAsync();
            }

            await context.Database.UseTransactionAsync(null);

            // The next unit of work on the same connection, begun by EF Core or by the application and handed over,
            // gives up and rolls back through EF Core.
            IDbContextTransaction next;
            if (nextBegunByApplication)
            {
                next = (await context.Database.UseTransactionAsync(await connection.BeginTransactionAsync()))!;
            }
            else
            {
                next = async ? await context.Database.BeginTransactionAsync() : context.Database.BeginTransaction();
            }

            Assert.Same(first, next.GetDbTransaction()); // Npgsql recycles the object: the premise of the test
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Rolled back";
            await Writes.SaveAsync(context, async);
            if (async)
            {
                await next.RollbackAsync();
            }
            else
            {
                next.Rollback();
            }

            await next.DisposeAsync();
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    /// <summary>
    /// Npgsql answers <c>Connection</c> of a committed transaction until it is disposed: the end of the
    /// transaction must be told otherwise, or its writes wait for the application's dispose (or the collector).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_in_an_application_committed_transaction_not_yet_disposed_is_invalidated_by_the_next_command(bool async)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var connection = new NpgsqlConnection(shop.Database.ConnectionString);
        await connection.OpenAsync();
        await using var context = CachedContextOn(connection, shop);
        await using var transaction = await connection.BeginTransactionAsync();
        await SaveKeyboardNameInAsync(context, transaction, "Committed by the application", async);
        if (async)
        {
            await transaction.CommitAsync();
        }
        else
        {
            transaction.Commit();
        }

        // Committed, still referenced and undisposed (its using ends with the test): the next cached read must be fresh.
        products.AssertInvalidatedAndFresh(p0);
    }

    /// <summary>
    /// A unit-of-work loop over one open <c>NpgsqlConnection</c>: each pass begins a transaction with ADO.NET, hands it to
    /// the context with <c>UseTransaction</c>, saves and commits it. Npgsql hands back the same transaction object every
    /// pass, so EF Core takes a second <c>UseTransaction</c> of it for the one it already has and reports nothing; the
    /// first pass's commit then looks like the still-open second transaction to the cache, and is invalidated only when
    /// that one ends (README, Limits). The remedy README gives — <c>UseTransaction(null)</c> after the commit — makes
    /// the next hand-over one EF Core reports, which publishes what the object owed.
    /// </summary>
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
        await using var context = CachedContextOn(connection, shop);

        DbTransaction first;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            first = transaction;
            await SaveKeyboardNameInAsync(context, transaction, "Committed by the first pass", async);
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

    /// <summary>Hands <paramref name="transaction"/> to <paramref name="context"/> and saves the keyboard's new <paramref name="name"/> in it.</summary>
    private static async Task SaveKeyboardNameInAsync(ShopContext context, DbTransaction transaction, string name, bool async)
    {
        await context.Database.UseTransactionAsync(transaction);
        (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = name;
        await Writes.SaveAsync(context, async);
    }

    /// <summary>A cached context on <paramref name="connection"/>, which the test opened and owns (its transactions too).</summary>
    private ShopContext CachedContextOn(NpgsqlConnection connection, ShopHarness shop)
        => new(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connection)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .Options);
}
