using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 2 across processes: two multiplexers stand for two application instances sharing one
/// Redis and one database; a write through either is fresh for the other once it returns. One body for every
/// database (<see cref="CrossProcessReadYourWritesTests"/>, <see cref="PostgreSql.PostgreSqlCrossProcessReadYourWritesTests"/>).
/// </summary>
public abstract class CrossProcessReadYourWritesSuite(RedisServerFixture redis)
{
    protected RedisServerFixture Redis { get; } = redis;

    /// <summary>A seeded shop on the suite's database, cached in <see cref="Redis"/> through its shared multiplexer ("process A").</summary>
    protected abstract ShopHarness NewShop();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_save_in_process_A_is_fresh_for_a_reader_in_process_B(bool async)
    {
        using var shop = NewShop();
        await using var processB = Redis.CreateConnection();
        var productsInB = ShopQueries.Products(shop).Through(processB, "process B");
        var categoriesInB = ShopQueries.Categories(shop).Through(processB, "process B");
        var (p0, k0) = (productsInB.Warm(), categoriesInB.Warm());

        await using (var writerInA = shop.NewContext())
        {
            (await writerInA.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Price = 21m;
            await Writes.SaveAsync(writerInA, async);
        }

        productsInB.AssertInvalidatedAndFresh(p0);
        categoriesInB.AssertStillHit(k0);
    }

    [Fact]
    public async Task Writes_in_process_B_are_fresh_for_process_A_for_every_write_path()
    {
        using var shop = NewShop();
        await using var processB = Redis.CreateConnection();
        var productsInA = ShopQueries.Products(shop);
        var countInA = ShopQueries.ProductCount(shop);

        var before = productsInA.Warm();
        await using (var writerInB = shop.NewContext(processB))
        {
            await writerInB.Products.Where(p => p.Id == ShopSeed.NovelId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Price, 1.5m));
        }

        before = productsInA.AssertInvalidatedAndFresh(before);
        productsInA.Warm();
        var count = countInA.Warm();
        await using (var writerInB = shop.NewContext(processB))
        {
            await writerInB.Database.ExecuteSqlRawAsync("DELETE FROM \"Products\" WHERE \"Id\" = 3");
        }

        productsInA.AssertInvalidatedAndFresh(before);
        countInA.AssertInvalidatedAndFresh(count);
    }

    [Fact]
    public async Task A_transaction_committed_in_process_A_is_fresh_for_process_B_once_the_commit_returns()
    {
        using var shop = NewShop();
        await using var processB = Redis.CreateConnection();
        var productsInB = ShopQueries.Products(shop).Through(processB, "process B");
        var p0 = productsInB.Warm();

        await using (var writerInA = shop.NewContext())
        {
            await using var transaction = await writerInA.Database.BeginTransactionAsync();
            writerInA.Products.Add(Writes.NewProduct(50, "Committed in A"));
            await writerInA.SaveChangesAsync();
            Assert.Equal(p0, productsInB.Read(out _));
            await transaction.CommitAsync();
        }

        productsInB.AssertInvalidatedAndFresh(p0);
    }
}
