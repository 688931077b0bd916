using System.Runtime.CompilerServices;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// EF Core's documented pattern for an application-owned transaction (<c>UseTransaction</c>), on PostgreSQL: the
/// application commits and disposes its <c>NpgsqlTransaction</c>. The existing test of this pattern runs on SQLite
/// only, whose transaction answers <c>Connection</c> after it was disposed; Npgsql's throws.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlExternalTransactionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_external_transaction_committed_and_disposed_by_the_application_makes_no_later_query_throw_and_leaves_nothing_stale(bool async)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        try
        {
            await WriteInExternalTransactionAsync(shop, async);

            // The transaction is committed and disposed: the next cached query of any context must work and be fresh.
            products.AssertInvalidatedAndFresh(p0);
        }
        finally
        {
            ForgetDisposedTransactions(shop, products);
        }
    }

    [Fact]
    public async Task A_transaction_shared_by_two_contexts_and_disposed_without_commit_makes_no_later_query_throw()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        try
        {
            await WriteInSharedTransactionThenFailAsync(shop);

            // EF Core's pattern for two contexts in one transaction; the unit of work failed and the using disposed
            // the transaction, which rolls it back. The next cached query of any context must work and see the truth.
            Assert.Equal(p0, products.Truth());
            Assert.Equal(p0, products.Read(out _));
        }
        finally
        {
            ForgetDisposedTransactions(shop, products);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task WriteInSharedTransactionThenFailAsync(ShopHarness shop)
    {
        await using var first = shop.NewContext();
        try
        {
            await using var transaction = await first.Database.BeginTransactionAsync();
            await using var second = new ShopContext(new DbContextOptionsBuilder<ShopContext>()
                .UseNpgsql(first.Database.GetDbConnection())
                .UseRedisCacheAside(redis.Connection, o =>
                {
                    o.KeyPrefix = shop.KeyPrefix;
                    o.RedisTimeout = ShopHarness.RoomyBudget;
                })
                .Options);
            await second.Database.UseTransactionAsync(transaction.GetDbTransaction());
            (await second.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Never committed";
            await second.SaveChangesAsync();
            throw new InvalidOperationException("the unit of work fails before the commit");
        }
        catch (InvalidOperationException)
        {
            // The transaction was disposed, uncommitted, by its using.
        }
    }

    /// <summary>
    /// A failure leaves the disposed transaction in the process-wide registry, where it would make every cached
    /// query of the other tests of this run throw: let the garbage collector take it, which ends its entry.
    /// </summary>
    private static void ForgetDisposedTransactions(ShopHarness shop, WatchedQuery products)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(shop.Database.ConnectionString));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            products.Read(out _);
        }
        catch (ObjectDisposedException)
        {
            // The entry is gone after this read either way.
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task WriteInExternalTransactionAsync(ShopHarness shop, bool async)
    {
        await using var connection = new NpgsqlConnection(shop.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var context = new ShopContext(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connection)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter)
            .Options))
        {
            if (async)
            {
                await context.Database.UseTransactionAsync(transaction);
            }
            else
            {
                context.Database.UseTransaction(transaction);
            }

            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Committed by the application";
            await Writes.SaveAsync(context, async);
        }

        await transaction.CommitAsync();
    }
}
