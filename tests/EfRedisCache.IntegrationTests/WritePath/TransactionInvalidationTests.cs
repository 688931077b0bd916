using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Transactions;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 4: a commit invalidates everything the transaction touched, after the commit; a
/// rollback invalidates nothing; reads inside a transaction that has written bypass the cache.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TransactionInvalidationTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_invalidates_after_the_commit_and_a_read_before_it_cannot_cache_old_rows_past_it(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        var categories = ShopQueries.Categories(shop);
        var (p0, k0) = (products.Warm(), categories.Warm());
        var b0 = keyboard.Truth();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            var product = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            product.Price = 44.44m;
            await Writes.SaveAsync(writer, async);

            // Another context, before the commit: the warm entry is still valid, and a miss reads the old
            // committed row and stores it, under versions the commit is about to bump.
            var beforeCommit = products.Read(out var queries);
            Assert.Equal(p0, beforeCommit);
            Assert.True(queries == 0, "the invalidation must wait for the commit");
            Assert.Equal(b0, keyboard.Read(out var missQueries));
            Assert.Equal(1, missQueries);

            if (async)
            {
                await transaction.CommitAsync();
            }
            else
            {
                transaction.Commit();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
        keyboard.AssertInvalidatedAndFresh(b0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rollback_invalidates_nothing_and_the_cached_value_stays_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            writer.Products.Add(Writes.NewProduct(30, "Rolled back"));
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Rolled back mouse";
            await Writes.SaveAsync(writer, async);
            if (async)
            {
                await transaction.RollbackAsync();
            }
            else
            {
                transaction.Rollback();
            }
        }

        products.AssertUnchangedHit(p0);
    }

    [Fact]
    public void Disposing_an_uncommitted_transaction_invalidates_nothing()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            using var transaction = writer.Database.BeginTransaction();
            writer.Products.Single(p => p.Id == ShopSeed.MouseId).Name = "Never committed";
            writer.SaveChanges();
        }

        products.AssertUnchangedHit(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteUpdate_inside_a_transaction_then_rollback_invalidates_nothing(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            var query = writer.Products.Where(p => p.CategoryId == ShopSeed.HardwareCategoryId);
            var updated = async
                ? await query.ExecuteUpdateAsync(s => s.SetProperty(p => p.Price, 1m))
                : query.ExecuteUpdate(s => s.SetProperty(p => p.Price, 1m));
            Assert.Equal(3, updated);
            if (async)
            {
                await transaction.RollbackAsync();
            }
            else
            {
                transaction.Rollback();
            }
        }

        products.AssertUnchangedHit(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteUpdate_and_raw_sql_inside_a_transaction_invalidate_only_after_the_commit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var dogs = ShopQueries.Dogs(shop);
        var (p0, k0, d0) = (products.Warm(), categories.Warm(), dogs.Warm());

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            var query = writer.Products.Where(p => p.Id == ShopSeed.NovelId);
            _ = async
                ? await query.ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 99L))
                : query.ExecuteUpdate(s => s.SetProperty(p => p.Stock, 99L));
            _ = async
                ? await writer.Database.ExecuteSqlRawAsync("UPDATE Categories SET Name = 'Literature' WHERE Id = 2")
                : writer.Database.ExecuteSqlRaw("UPDATE Categories SET Name = 'Literature' WHERE Id = 2");

            Assert.Equal(p0, products.Read(out var q1));
            Assert.Equal(k0, categories.Read(out var q2));
            Assert.True(q1 + q2 == 0, "nothing may be invalidated before the commit");

            if (async)
            {
                await transaction.CommitAsync();
            }
            else
            {
                transaction.Commit();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertInvalidatedAndFresh(k0);
        dogs.AssertStillHit(d0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_inside_the_writing_transaction_bypass_the_cache_and_see_its_uncommitted_write(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();

            // Before any write the transaction may be served from the cache.
            var product = await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId);
            product.Name = "Uncommitted novel";
            await Writes.SaveAsync(writer, async);

            // No tracking, so EF's identity resolution cannot hide rows that came from the cache.
            var inside = async
                ? await writer.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()
                : writer.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList();
            Assert.Contains(inside, p => p.Name == "Uncommitted novel");

            var query = writer.Products.Where(p => p.Id == ShopSeed.MouseId);
            _ = async
                ? await query.ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Uncommitted mouse"))
                : query.ExecuteUpdate(s => s.SetProperty(p => p.Name, "Uncommitted mouse"));
            var count = writer.Products.AsNoTracking().Where(p => p.Name.StartsWith("Uncommitted")).Cacheable().Count();
            Assert.Equal(2, count);

            // Outside the transaction: the committed truth, from the cache.
            Assert.Equal(p0, products.Read(out var outsideQueries));
            Assert.Equal(0, outsideQueries);

            if (async)
            {
                await transaction.RollbackAsync();
            }
            else
            {
                transaction.Rollback();
            }
        }

        // The reads inside the transaction must not have stored uncommitted rows.
        products.AssertUnchangedHit(p0);
        var uncommitted = new WatchedQuery(shop, "Uncommitted count", c =>
            c.Products.AsNoTracking().Where(p => p.Name.StartsWith("Uncommitted")).Cacheable().Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", uncommitted.Read(out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Savepoint_rollback_then_commit_invalidates_and_the_next_read_sees_only_the_kept_write(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using (var writer = shop.NewContext())
        {
            await using var transaction = async ? await writer.Database.BeginTransactionAsync() : writer.Database.BeginTransaction();
            var keyboard = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Kept";
            await Writes.SaveAsync(writer, async);
            if (async)
            {
                await transaction.CreateSavepointAsync("before_mouse");
            }
            else
            {
                transaction.CreateSavepoint("before_mouse");
            }

            await writer.Database.ExecuteSqlRawAsync("UPDATE Products SET Name = 'Discarded' WHERE Id = 2");
            if (async)
            {
                await transaction.RollbackToSavepointAsync("before_mouse");
                await transaction.CommitAsync();
            }
            else
            {
                transaction.RollbackToSavepoint("before_mouse");
                transaction.Commit();
            }
        }

        var fresh = products.AssertInvalidatedAndFresh(p0);
        Assert.Contains("Kept", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("Discarded", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public void Savepoint_rollback_then_full_rollback_invalidates_nothing()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            using var transaction = writer.Database.BeginTransaction();
            transaction.CreateSavepoint("s1");
            writer.Database.ExecuteSqlRaw("UPDATE Products SET Name = 'Discarded'");
            transaction.RollbackToSavepoint("s1");
            writer.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Also discarded";
            writer.SaveChanges();
            transaction.Rollback();
        }

        products.AssertUnchangedHit(p0);
    }

    [Fact]
    public void A_failed_savepoint_command_does_not_drop_the_invalidations_the_transaction_owes_at_commit()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            using var transaction = writer.Database.BeginTransaction();
            writer.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Committed despite a bad savepoint";
            writer.SaveChanges();

            // A typo in a savepoint name fails that one command; the transaction itself goes on.
            Assert.ThrowsAny<Exception>(() => transaction.RollbackToSavepoint("no_such_savepoint"));

            // Still inside the transaction that wrote: the read must bypass the cache.
            var inside = writer.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList();
            Assert.Contains(inside, p => p.Name == "Committed despite a bad savepoint");
            transaction.Commit();
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_transaction_shared_with_a_second_context_invalidates_the_second_contexts_writes_on_commit(bool secondHasOtherCacheSettings)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        // EF Core's documented pattern: two contexts on one connection share one transaction. With other
        // cache settings (another registration, same Redis and key prefix), the first context's commit must
        // still publish what the second wrote.
        using var connection = new SqliteConnection(shop.Database.ConnectionString);
        connection.Open();
        using (var first = new ShopContext(ExternalConnectionOptions(shop, connection, otherCacheSettings: false)))
        using (var second = new ShopContext(ExternalConnectionOptions(shop, connection, secondHasOtherCacheSettings)))
        {
            using var transaction = first.Database.BeginTransaction();
            second.Database.UseTransaction(transaction.GetDbTransaction());
            second.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Written by the second context";
            second.SaveChanges();
            transaction.Commit();
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_external_DbTransaction_committed_by_the_application_invalidates_the_writes_made_in_it(bool writerHasOtherCacheSettings)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        // EF Core's documented pattern: the application owns the connection and the transaction. EF Core
        // never sees the commit; the next command through any cached context — here the reader's, whose
        // registration differs from the writer's in the second case — publishes it.
        WriteKeyboardInExternalTransaction(shop, "Written in an external transaction", commit: true, writerHasOtherCacheSettings);

        products.AssertInvalidatedAndFresh(p0);
    }

    [Fact]
    public void An_external_DbTransaction_rolled_back_by_the_application_costs_a_miss_and_never_a_wrong_row()
    {
        // The one place invariant 4 ("rollback invalidates nothing") is relaxed, on purpose: EF Core never sees
        // how an application-owned transaction ends (nor whether a collected one committed), so its writes are
        // invalidated once it has ended either way. That costs a miss after a rollback; the rows stay right.
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        WriteKeyboardInExternalTransaction(shop, "Rolled back", commit: false);

        Assert.Equal(p0, products.Truth());
        var after = products.Read(out var queries);
        Assert.Equal(p0, after);
        Assert.True(queries > 0, "the end of an external transaction invalidates its writes, rollback included");
        products.AssertStillHit(p0);
    }

    [Fact]
    public void An_external_DbTransaction_collected_before_the_next_command_still_has_its_writes_invalidated()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        // The application commits, drops the transaction, and no cached command runs until the garbage
        // collector has taken it: what it owes must not go with it (committed or not, publishing costs misses only).
        var transaction = WriteKeyboardInExternalTransaction(shop, "Written in a forgotten transaction", commit: true);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(transaction.TryGetTarget(out _), "the test needs the transaction collected before the next command");

        products.AssertInvalidatedAndFresh(p0);
    }

    /// <summary>
    /// EF Core's documented pattern for an application-owned transaction: the test opens the connection and the
    /// transaction, a cached context joins it (<c>UseTransaction</c>) and renames the keyboard, the test commits
    /// or rolls back and drops both. The transaction comes back weakly, so a caller can let the GC take it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference<DbTransaction> WriteKeyboardInExternalTransaction(ShopHarness shop, string name, bool commit, bool writerHasOtherCacheSettings = false)
    {
        using var connection = new SqliteConnection(shop.Database.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var context = new ShopContext(ExternalConnectionOptions(shop, connection, writerHasOtherCacheSettings)))
        {
            context.Database.UseTransaction(transaction);
            context.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = name;
            context.SaveChanges();
        }

        if (commit)
        {
            transaction.Commit();
        }
        else
        {
            transaction.Rollback();
        }

        return new WeakReference<DbTransaction>(transaction);
    }

    /// <summary>
    /// A cached context on an open connection the test owns, sharing <paramref name="shop"/>'s Redis and key
    /// prefix; with <paramref name="otherCacheSettings"/>, registered with settings the harness does not use.
    /// </summary>
    private DbContextOptions<ShopContext> ExternalConnectionOptions(ShopHarness shop, SqliteConnection connection, bool otherCacheSettings)
        => new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(connection)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                if (otherCacheSettings)
                {
                    o.DefaultTtl = TimeSpan.FromMinutes(7);
                }
            })
            .Options;

    [Fact]
    public void TransactionScope_with_sqlite_is_refused_by_ef_core_unless_the_warning_is_ignored()
    {
        using var shop = new ShopHarness(redis);
        using var scope = new TransactionScope();
        using var writer = shop.NewContext();
        writer.Products.Add(Writes.NewProduct(40, "Scoped"));
        var error = Assert.Throws<InvalidOperationException>(() => writer.SaveChanges());
        Assert.Contains("AmbientTransactionWarning", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task TransactionScope_write_is_invalidated_once_the_scope_is_disposed_whether_completed_or_not(bool async, bool complete)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, k0) = (products.Warm(), categories.Warm());

        using (var scope = new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            // SQLite cannot enlist, so the write commits at once; the scope's outcome cannot undo it.
            await using (var writer = IgnoringAmbientTransactionWarning(shop))
            {
                (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Written in a scope";
                await Writes.SaveAsync(writer, async);
            }

            if (complete)
            {
                scope.Complete();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertStillHit(k0);
    }

    [Fact]
    public void TransactionScope_write_that_committed_without_enlisting_is_fresh_for_other_readers_before_the_scope_ends()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var scope = new TransactionScope())
        {
            using (var writer = IgnoringAmbientTransactionWarning(shop))
            {
                writer.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Committed without enlisting";
                writer.SaveChanges();
            }

            // Another reader, outside the scope, after SaveChanges returned: the database already has the row.
            using (new TransactionScope(TransactionScopeOption.Suppress))
            {
                products.AssertInvalidatedAndFresh(p0);
            }

            scope.Complete();
        }
    }

    /// <summary>A cached context that lets SQLite run inside a TransactionScope it cannot enlist in, as an application may choose to.</summary>
    private ShopContext IgnoringAmbientTransactionWarning(ShopHarness shop)
        => new(shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(shop.Counter)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.AmbientTransactionWarning))));
}
