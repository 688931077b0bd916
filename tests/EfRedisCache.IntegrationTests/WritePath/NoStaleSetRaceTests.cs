using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 3: a reader that loaded rows before a write committed finishes (and tries to store)
/// only after the write's SaveChanges returned; its rows must not become the cached answer.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NoStaleSetRaceTests(RedisServerFixture redis)
{
    private const int Iterations = 20;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reader_that_loaded_rows_before_a_committed_write_cannot_cache_them_after_it(bool async)
    {
        using var shop = new ShopHarness(redis);
        var blocker = new BlockAfterReaderExecuted();
        var readerOptions = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(blocker));
        var products = ShopQueries.Products(shop);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        using (var probe = shop.NewUncachedContext())
        {
            // Without WAL the writer would wait for the held reader's lock, and there would be no race to test.
            Assert.Equal("wal", probe.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single());
        }

        for (var i = 0; i < Iterations; i++)
        {
            var watched = i % 2 == 0 ? products : keyboard;
            var before = watched.Truth();
            blocker.Arm();
            var reader = Task.Run(async () =>
            {
                await using var context = new ShopContext(readerOptions);
                return i % 2 == 0
                    ? ShopQueries.Render(async
                        ? await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()
                        : context.Products.OrderBy(p => p.Id).Cacheable().ToList())
                    : ShopQueries.Render(async
                        ? await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().ToListAsync()
                        : context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().ToList());
            });

            await blocker.WaitUntilHeldAsync();
            await using (var writer = shop.NewContext())
            {
                var product = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
                product.Stock = 1_000 + i;
                await Writes.SaveAsync(writer, async);
            }

            blocker.Release();
            Assert.Equal(before, await reader); // it read before the write: the old rows, rightly

            var after = watched.Read(out _);
            var truth = watched.Truth();
            Assert.True(after == truth, $"iteration {i} ({watched.Name}, async: {async}): the held reader stored pre-write rows after the write's invalidation.\n cached: {after}\n truth:  {truth}");
        }
    }
}
