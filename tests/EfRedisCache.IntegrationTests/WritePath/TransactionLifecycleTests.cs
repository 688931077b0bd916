using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Context lifecycle around transactions and failed saves on SQLite: pooled leases after an abandoned or
/// rolled-back transaction, a connection closed mid-transaction, a save that fails and is retried,
/// <c>SaveChanges(false)</c> with a key the database generates. Every read compared with an uncached context.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TransactionLifecycleTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pooled_lease_abandoned_or_rolled_back_mid_transaction_leaks_nothing_into_the_next_lease(bool rollBack)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        var factory = new PooledDbContextFactory<ShopContext>(shop.CachedOptions(), poolSize: 1);

        await using (var lease = await factory.CreateDbContextAsync())
        {
            var transaction = await lease.Database.BeginTransactionAsync();
            (await lease.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Abandoned in a pooled lease";
            await lease.SaveChangesAsync();
            if (rollBack)
            {
                await transaction.RollbackAsync();
            }

            // Not disposed: the pool resets the context, and the transaction with it.
        }

        await using (var lease = await factory.CreateDbContextAsync())
        {
            Assert.Null(lease.Database.CurrentTransaction);
            shop.Counter.Reset();
            Assert.Equal(p0, products.ReadWith(lease));
            Assert.Equal(0, shop.Counter.Queries); // nothing was invalidated, and the lease is not taken for one in a written transaction
            (await lease.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Saved by the next lease";
            await lease.SaveChangesAsync();
        }

        products.AssertInvalidatedAndFresh(p0);
        await using (var lease = await factory.CreateDbContextAsync())
        {
            Assert.Equal(products.Truth(), products.ReadWith(lease));
        }
    }

    [Fact]
    public void Closing_the_connection_mid_transaction_leaves_no_uncommitted_row_in_the_cache()
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        using (var writer = shop.NewContext())
        {
            writer.Database.OpenConnection();
            writer.Database.BeginTransaction();
            writer.Products.Single(p => p.Id == ShopSeed.KeyboardId).Name = "Lost with the connection";
            writer.SaveChanges();
            writer.Database.CloseConnection();

            // EF Core keeps the connection open while the transaction lives: the writer still reads its own write,
            // as an uncached context in the same transaction does, and nothing of it may reach the cache.
            writer.ChangeTracker.Clear();
            Assert.NotNull(writer.Database.CurrentTransaction);
            using (var same = new ShopContext(shop.Database.CreateOptions<ShopContext>(b => b.UseSqlite(writer.Database.GetDbConnection()))))
            {
                same.Database.UseTransaction(writer.Database.CurrentTransaction!.GetDbTransaction());
                Assert.Equal(products.ReadWith(same), products.ReadWith(writer));
            }

            Assert.Equal(p0, products.Read(out _));
        }

        Assert.Equal(p0, products.Truth());
        Assert.Equal(p0, products.Read(out _));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_save_that_fails_on_a_unique_key_leaves_nothing_stale_and_its_retry_invalidates(bool async, bool inTransaction)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();
        Guid keyboardSku;
        await using (var truth = shop.NewUncachedContext())
        {
            keyboardSku = (await truth.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Sku;
        }

        await using (var writer = shop.NewContext())
        {
            var transaction = inTransaction ? await writer.Database.BeginTransactionAsync() : null;
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Renamed with a duplicate";
            var duplicate = Writes.NewProduct(50, "Duplicate SKU");
            duplicate.Sku = keyboardSku;
            writer.Products.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => Writes.SaveAsync(writer, async));

            // Nothing reached the database (or it is only in the open transaction): other readers see the old rows.
            Assert.Equal(p0, products.Truth());
            Assert.Equal(p0, products.Read(out _));

            duplicate.Sku = Guid.NewGuid();
            await Writes.SaveAsync(writer, async);
            if (transaction is not null)
            {
                Assert.Equal(p0, products.Read(out _));
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
            }
        }

        products.AssertInvalidatedAndFresh(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveChanges_without_accepting_then_AcceptAllChanges_invalidates_the_key_lookup_of_a_generated_key(bool async)
    {
        using var shop = new ShopHarness(redis);
        var categories = ShopQueries.Categories(shop);
        var c0 = categories.Warm();
        int nextId;
        await using (var truth = shop.NewUncachedContext())
        {
            nextId = await truth.Categories.MaxAsync(c => c.Id) + 1;
        }

        var lookup = new WatchedQuery(shop, $"Category {nextId}", c =>
            c.Categories.AsNoTracking().Where(x => x.Id == nextId).Cacheable().FirstOrDefault()?.Name ?? "(none)");
        var l0 = lookup.Warm();
        Assert.Equal("(none)", l0);

        await using (var writer = shop.NewContext())
        {
            var category = new Category { Name = "Generated key" };
            writer.Categories.Add(category);
            var saved = async ? await writer.SaveChangesAsync(acceptAllChangesOnSuccess: false) : writer.SaveChanges(acceptAllChangesOnSuccess: false);
            Assert.Equal(1, saved);
            writer.ChangeTracker.AcceptAllChanges();
            Assert.Equal(nextId, category.Id);
        }

        lookup.AssertInvalidatedAndFresh(l0);
        categories.AssertInvalidatedAndFresh(c0);
    }
}
