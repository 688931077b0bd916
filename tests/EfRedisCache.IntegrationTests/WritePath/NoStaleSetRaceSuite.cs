using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 3: a reader that loaded rows before a write committed finishes (and tries to store)
/// only after the write's SaveChanges returned; its rows must not become the cached answer. One body for every
/// database (<see cref="NoStaleSetRaceTests"/>, <see cref="PostgreSql.PostgreSqlNoStaleSetRaceTests"/>): whether
/// a held reader lets the writer through is the database's business, the race is the cache's.
/// </summary>
public abstract class NoStaleSetRaceSuite(RedisServerFixture redis)
{
    private const int Iterations = 20;

    protected RedisServerFixture Redis { get; } = redis;

    /// <summary>A seeded shop on the suite's database, cached in <see cref="Redis"/> through its shared multiplexer.</summary>
    protected abstract ShopHarness NewShop();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reader_that_loaded_rows_before_a_committed_write_cannot_cache_them_after_it(bool async)
    {
        using var shop = NewShop();
        var blocker = new BlockAfterReaderExecuted();
        var readerOptions = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(Redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(blocker));
        var products = ShopQueries.Products(shop);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        using (var probe = shop.NewUncachedContext())
        {
            // Without WAL the writer would wait for the held reader's lock, and there would be no race to test.
            // PostgreSQL needs no such check: under MVCC a reader never blocks a writer (a SELECT takes no row
            // locks, and its table lock does not conflict with UPDATE's). Were the writer ever blocked, the held
            // reader would never be released and BlockAfterReaderExecuted would fail the test after 30 s.
            if (probe.Database.IsSqlite())
            {
                Assert.Equal("wal", probe.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single());
            }
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
