using System.Transactions;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Transactions on PostgreSQL that the existing tests run on SQLite only or not at all: a TransactionScope Npgsql
/// really enlists in (completed, not completed, nested RequiresNew) or one enlisted by hand, a save that fails on a unique key inside a
/// user transaction (EF Core's own savepoint), and a user transaction retried by EnableRetryOnFailure.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlTransactionScopeTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task An_enlisted_write_is_never_served_stale_or_uncommitted_to_readers_outside_the_scope(bool async, bool complete)
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var scope = new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            await using (var writer = shop.NewContext())
            {
                (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Written in an enlisted scope";
                await Writes.SaveAsync(writer, async);

                // The writer, inside the scope, reads its own write.
                Assert.Contains("Written in an enlisted scope", products.ReadWith(writer), StringComparison.Ordinal);
            }

            // A reader outside the scope, before it ends: the old committed rows (it may cache them).
            using (new TransactionScope(TransactionScopeOption.Suppress, TransactionScopeAsyncFlowOption.Enabled))
            {
                Assert.Equal(p0, products.Read(out _));
                Assert.Equal(p0, products.Read(out _));
            }

            if (complete)
            {
                scope.Complete();
            }
        }

        var truth = products.Truth();
        Assert.Equal(complete, truth != p0);
        var read = products.Read(out _);
        Assert.True(read == truth, $"after the scope: cached {read}\n truth {truth}");
    }

    [Fact]
    public async Task A_completed_RequiresNew_scope_inside_an_abandoned_one_is_fresh_at_once()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            using (var inner = new TransactionScope(TransactionScopeOption.RequiresNew, TransactionScopeAsyncFlowOption.Enabled))
            {
                await using (var writer = shop.NewContext())
                {
                    (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Committed by the inner scope";
                    await writer.SaveChangesAsync();
                }

                using (new TransactionScope(TransactionScopeOption.Suppress, TransactionScopeAsyncFlowOption.Enabled))
                {
                    Assert.Equal(p0, products.Read(out _));
                }

                inner.Complete();
            }

            using (new TransactionScope(TransactionScopeOption.Suppress, TransactionScopeAsyncFlowOption.Enabled))
            {
                products.AssertInvalidatedAndFresh(p0);
            }

            // The outer scope is never completed: the inner one committed on its own.
        }

        Assert.Equal(products.Truth(), products.Read(out _));
    }

    [Fact]
    public async Task A_save_failing_on_a_unique_key_inside_a_user_transaction_then_retried_and_committed_is_fresh()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = await writer.Database.BeginTransactionAsync();
            var keyboardSku = (await writer.Products.AsNoTracking().SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Sku;
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Saved on the second try";
            var duplicate = Writes.NewProduct(60, "Duplicate SKU");
            duplicate.Sku = keyboardSku;
            writer.Products.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => writer.SaveChangesAsync());

            // EF Core rolled back to its savepoint: the transaction goes on.
            duplicate.Sku = Guid.NewGuid();
            await writer.SaveChangesAsync();
            Assert.Equal(p0, products.Read(out _));
            await transaction.CommitAsync();
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public async Task A_user_transaction_retried_by_the_execution_strategy_is_fresh_after_the_attempt_that_commits()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var options = new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(shop.Database.ConnectionString, o => o.EnableRetryOnFailure(3, TimeSpan.FromMilliseconds(10), null))
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(shop.Counter)
            .Options;

        var attempts = 0;
        var seenDuringFirstAttempt = "";
        await using (var writer = new ShopContext(options))
        {
            await writer.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                attempts++;
                writer.ChangeTracker.Clear();
                await using var transaction = await writer.Database.BeginTransactionAsync();
                var keyboard = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
                keyboard.Name = $"Attempt {attempts}";
                await writer.SaveChangesAsync();
                if (attempts == 1)
                {
                    seenDuringFirstAttempt = products.Read(out _);
                    throw new TimeoutException("a transient failure before the commit");
                }

                await transaction.CommitAsync();
            });
        }

        Assert.Equal(2, attempts);
        Assert.Equal(p0, seenDuringFirstAttempt);
        var fresh = products.AssertInvalidatedAndFresh(p0);
        Assert.Contains("Attempt 2", fresh, StringComparison.Ordinal);
    }

    /// <summary>
    /// A connection enlisted by hand (<c>Database.EnlistTransaction</c>), with no TransactionScope: <c>Transaction.Current</c>
    /// is null, yet the connection's reads see the transaction's uncommitted rows and its writes commit with it.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_write_in_a_transaction_enlisted_by_hand_is_never_served_uncommitted_nor_stale_after_its_end(bool async, bool commit)
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var enlisted = new CommittableTransaction())
        {
            await using var writer = shop.NewContext();
            await writer.Database.OpenConnectionAsync();
            writer.Database.EnlistTransaction(enlisted);
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Written in an enlisted transaction";
            await Writes.SaveAsync(writer, async);

            // The writer reads its own uncommitted write; another reader, the committed rows (it may cache them).
            Assert.Contains("Written in an enlisted transaction", products.ReadWith(writer), StringComparison.Ordinal);
            Assert.Equal(p0, products.Read(out _));
            if (commit)
            {
                enlisted.Commit();
            }
            else
            {
                enlisted.Rollback();
            }
        }

        var truth = products.Truth();
        Assert.Equal(commit, truth != p0);
        var read = products.Read(out _);
        Assert.True(read == truth, $"after the transaction: cached {read}\n truth {truth}");
    }

    /// <summary>
    /// A scope that does not flow (<c>new TransactionScope()</c>, as older code writes it) around an async write awaited
    /// synchronously: the connection enlists on the caller's thread, and the write's end runs on a pool thread, where
    /// <c>Transaction.Current</c> is null. The commit must still be seen.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void An_async_write_in_a_scope_that_does_not_flow_is_fresh_once_the_scope_commits(bool executeUpdate, bool openedBeforeScope)
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            if (openedBeforeScope)
            {
                writer.Database.OpenConnection();
            }

            using (var scope = new TransactionScope())
            {
                var write = executeUpdate
                    ? writer.Products.Where(p => p.Id == ShopSeed.KeyboardId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Written asynchronously in a scope"))
                    : SaveKeyboardNameAsync(writer, "Written asynchronously in a scope");
#pragma warning disable xUnit1031 // the synchronous wait is what keeps the scope on this thread, as in the code this test stands for
                write.GetAwaiter().GetResult();
#pragma warning restore xUnit1031

                // Another reader, before the commit: the committed rows, which it may cache.
                using (new TransactionScope(TransactionScopeOption.Suppress))
                {
                    Assert.Equal(p0, products.Read(out _));
                }

                scope.Complete();
            }
        }

        var truth = products.Truth();
        Assert.NotEqual(p0, truth);
        var read = products.Read(out _);
        Assert.True(read == truth, $"after the scope: cached {read}\n truth {truth}");
    }

    /// <summary>
    /// The same with a writing reader (<c>UPDATE … RETURNING</c> through <c>SqlQuery</c>) on a connection opened before
    /// the scope: EF Core enlists it when the command starts, on the caller's thread, and the reader is closed, and its
    /// write published, on a pool thread.
    /// </summary>
    [Fact]
    public void An_async_writing_reader_in_a_scope_that_does_not_flow_is_fresh_once_the_scope_commits()
    {
        using var shop = NewShop();
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            writer.Database.OpenConnection();
            using (var scope = new TransactionScope())
            {
                var write = writer.Database
                    .SqlQuery<string>($"UPDATE \"Products\" SET \"Name\" = 'Returned in a scope' WHERE \"Id\" = {ShopSeed.KeyboardId} RETURNING \"Name\" AS \"Value\"")
                    .ToListAsync();
#pragma warning disable xUnit1031 // the synchronous wait is what keeps the scope on this thread, as in the code this test stands for
                Assert.Equal(["Returned in a scope"], write.GetAwaiter().GetResult());
#pragma warning restore xUnit1031

                using (new TransactionScope(TransactionScopeOption.Suppress))
                {
                    Assert.Equal(p0, products.Read(out _));
                }

                scope.Complete();
            }
        }

        var truth = products.Truth();
        Assert.NotEqual(p0, truth);
        var read = products.Read(out _);
        Assert.True(read == truth, $"after the scope: cached {read}\n truth {truth}");
    }

    private static async Task<int> SaveKeyboardNameAsync(ShopContext writer, string name)
    {
        writer.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = name;
        return await writer.SaveChangesAsync();
    }

    private ShopHarness NewShop() => new(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
}
