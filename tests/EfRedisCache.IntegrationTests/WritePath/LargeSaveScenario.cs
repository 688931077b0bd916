using EfRedisCache.Configuration;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// One SaveChanges of 20,000 rows of one table (a bulk import, a loop of updates, a purge), on any database. What a
/// user relies on afterwards: a cached key lookup of a saved row and a cached list of the table are read fresh, and
/// the cache works again at once (the process is not left bypassing it while an oversized invalidation is replayed).
/// And what the other clients of Redis rely on: the save's invalidation is one Lua script, which blocks Redis while
/// it runs, so it must not carry a version key per saved row — 20,000 rows made a script of 20,002 keys (850 KB sent,
/// tens of ms of Redis doing nothing else), 100,000 rows one of 8.5 MB that ran past the 500 ms budget (benchmarks
/// README, "Large saves"). Observed from Redis: every saved row is given a row version key beforehand (as if each had
/// been looked up), and the test counts how many of them the save's bump moved.
/// </summary>
internal static class LargeSaveScenario
{
    public const int Rows = 20_000;

    private const int FirstId = 100_000;

    /// <summary>The value every saved row's version key is given beforehand; a bump moves it.</summary>
    private const long Untouched = 1_000_000_007;

    public static async Task ImportAsync(RedisServerFixture redis, ShopHarness shop)
    {
        await CacheAsync(shop);
        var rowKeys = await GiveEveryRowAVersionKeyAsync(redis, shop);

        await using (var writer = shop.NewContext())
        {
            writer.Products.AddRange(NewProducts());
            Assert.Equal(Rows, await writer.SaveChangesAsync());
        }

        await AssertFreshAndCachedAgainAsync(shop);
        await AssertRowKeysBumpedAsync(redis, rowKeys);
    }

    public static async Task UpdateEachAsync(RedisServerFixture redis, ShopHarness shop)
    {
        await using (var seed = shop.NewUncachedContext())
        {
            seed.Products.AddRange(NewProducts());
            await seed.SaveChangesAsync();
        }

        await CacheAsync(shop);
        var rowKeys = await GiveEveryRowAVersionKeyAsync(redis, shop);

        await using (var writer = shop.NewContext())
        {
            foreach (var product in await writer.Products.NotCacheable().Where(p => p.Id >= FirstId).ToListAsync())
            {
                product.Stock = product.Id + 1;
            }

            Assert.Equal(Rows, await writer.SaveChangesAsync());
        }

        await AssertFreshAndCachedAgainAsync(shop);
        await AssertRowKeysBumpedAsync(redis, rowKeys);
    }

    /// <summary>
    /// A bulk import in one transaction, in batches of 1,000 with the change tracker cleared after each (so the
    /// application holds one batch at a time): what the cache keeps for the commit must not grow with every row.
    /// </summary>
    public static async Task ImportInBatchesInOneTransactionAsync(RedisServerFixture redis, ShopHarness shop)
    {
        await CacheAsync(shop);
        var rowKeys = await GiveEveryRowAVersionKeyAsync(redis, shop);

        await using (var writer = shop.NewContext())
        {
            await using var transaction = await writer.Database.BeginTransactionAsync();
            foreach (var batch in NewProducts().Chunk(1_000))
            {
                writer.Products.AddRange(batch);
                Assert.Equal(batch.Length, await writer.SaveChangesAsync());
                writer.ChangeTracker.Clear();
            }

            var held = TransactionInvalidations.Process.Copy(transaction.GetDbTransaction())!.Sum(d => d.Set.Rows.Count);
            Assert.True(held <= InvalidationSet.MaxRowKeys, $"{held} row keys held for the commit of a transaction that saved {Rows} rows");
            await transaction.CommitAsync();
        }

        await AssertFreshAndCachedAgainAsync(shop);
        await AssertRowKeysBumpedAsync(redis, rowKeys);
    }

    private static IEnumerable<Product> NewProducts()
        => Enumerable.Range(FirstId, Rows).Select(id => new Product
        {
            Id = id,
            Name = "Imported",
            Price = 1m,
            CreatedAt = ShopSeed.CreatedAt,
            Sku = new Guid(id, 0, 0, new byte[8]), // unique: the model has a unique index on it
            Stock = id,
            CategoryId = ShopSeed.HardwareCategoryId,
        });

    /// <summary>The lookup of the last saved row and the list of saved rows, each read twice: the second time a hit.</summary>
    private static async Task CacheAsync(ShopHarness shop)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await ReadAsync(shop);
            shop.Counter.Reset();
            await ReadAsync(shop);
            if (shop.Counter.Queries == 0)
            {
                return;
            }

            await Task.Delay(50); // the store is fire-and-forget
        }

        Assert.Fail("the precondition failed: the lookup and the list were not cached before the save");
    }

    private static async Task<(long? Stock, long Count, long Sum)> ReadAsync(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        var last = await context.Products.Cacheable().FirstOrDefaultAsync(p => p.Id == FirstId + Rows - 1);
        var stocks = await context.Products.Cacheable().Where(p => p.Id >= FirstId).Select(p => p.Stock).ToListAsync();
        return (last?.Stock, stocks.Count, stocks.Sum());
    }

    private static async Task<(long? Stock, long Count, long Sum)> TruthAsync(ShopHarness shop)
    {
        await using var context = shop.NewUncachedContext();
        var last = await context.Products.FirstOrDefaultAsync(p => p.Id == FirstId + Rows - 1);
        var stocks = await context.Products.Where(p => p.Id >= FirstId).Select(p => p.Stock).ToListAsync();
        return (last?.Stock, stocks.Count, stocks.Sum());
    }

    private static async Task AssertFreshAndCachedAgainAsync(ShopHarness shop)
    {
        var truth = await TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(shop));

        await using (var context = shop.NewContext())
        {
            var runtime = context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()!.Runtime;
            Assert.False(runtime.PendingInvalidations.HasPending, "the save's invalidation did not reach Redis: the process bypasses the cache until it does");
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(50); // the store is fire-and-forget
            shop.Counter.Reset();
            Assert.Equal(truth, await ReadAsync(shop));
            if (shop.Counter.Queries == 0)
            {
                return;
            }
        }

        Assert.Fail("the cache was not used again after the save: the next cached reads went to the database");
    }

    /// <summary>
    /// Gives each saved row's version key (the last row's is there already: its lookup was cached) the value
    /// <see cref="Untouched"/>, and returns them all.
    /// </summary>
    private static async Task<RedisKey[]> GiveEveryRowAVersionKeyAsync(RedisServerFixture redis, ShopHarness shop)
    {
        var lastId = FirstId + Rows - 1;
        var last = Assert.Single(ReadPath.ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, $":v:*:r:{lastId}"));
        var stem = last[..^lastId.ToString(System.Globalization.CultureInfo.InvariantCulture).Length];
        var keys = Enumerable.Range(FirstId, Rows).Select(id => (RedisKey)(stem + id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var database = redis.Connection.GetDatabase();
        var batch = database.CreateBatch();
        var sets = keys.Where(k => k != last).Select(k => batch.StringSetAsync(k, Untouched, TimeSpan.FromMinutes(10))).ToList();
        batch.Execute();
        await Task.WhenAll(sets);
        return [.. keys.Where(k => k != last)];
    }

    /// <summary>
    /// A bump INCRs every key it carries that exists: the row keys it moved are the row keys it carried. Past
    /// <see cref="InvalidationSet.MaxRowKeys"/> rows a save bumps its table's bulk epoch instead.
    /// </summary>
    private static async Task AssertRowKeysBumpedAsync(RedisServerFixture redis, RedisKey[] rowKeys)
    {
        var database = redis.Connection.GetDatabase();
        var moved = 0;
        foreach (var chunk in rowKeys.Chunk(1_000))
        {
            moved += (await database.StringGetAsync(chunk)).Count(v => v != Untouched);
        }

        Assert.True(moved <= InvalidationSet.MaxRowKeys, $"the save's invalidation script carried {moved} row version keys of the {Rows} rows it saved");
    }
}
