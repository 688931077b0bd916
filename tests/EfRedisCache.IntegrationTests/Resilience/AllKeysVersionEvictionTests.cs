using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Under <c>allkeys-lru</c> or <c>allkeys-lfu</c> a Redis at its <c>maxmemory</c> evicts any key, version keys too —
/// also the global epoch and others that carry no expiry, which <see cref="VolatileEvictionTests"/> cannot reach. The
/// eviction is made by hand here (DEL of every version key of the prefix), at each step of a write racing a reader, so
/// every interleaving is run rather than hoped for: none may let a process read a row from before the write.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AllKeysVersionEvictionTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("before the write")]
    [InlineData("after the write")]
    [InlineData("before and after the write")]
    public async Task Version_keys_evicted_around_a_write_never_bring_back_the_rows_from_before_it(string when)
    {
        using var shop = new ShopHarness(redis);
        using var processB = ResilienceKit.FastConnection(redis);
        var before = await ResilienceKit.TruthAsync(shop);
        await CrossProcessReads.AssertReadsAsync(shop, before, "warming", redis.Connection, processB); // A stored, B keeps the rows

        if (when.StartsWith("before", StringComparison.Ordinal))
        {
            await EvictVersionKeysAsync(shop);
        }

        var truth = await CrossProcessReads.RenameNovelAsync(shop, "Evicted " + when);
        if (when.EndsWith("after the write", StringComparison.Ordinal))
        {
            await EvictVersionKeysAsync(shop);
        }

        await CrossProcessReads.AssertReadsAsync(shop, truth, $"version keys evicted {when}", redis.Connection, processB);
    }

    /// <summary>
    /// The race of invariant 3 with evictions inside it: a reader has read the versions and the database's rows from
    /// before a write, and stores them only after the write's bump — which may have found its key gone (a bump creates
    /// none), or a key another reader seeded anew in between.
    /// </summary>
    [Theory]
    [InlineData("before the write")]
    [InlineData("after the write")]
    [InlineData("before and after the write")]
    [InlineData("before the write, then read by another process")]
    [InlineData("after the write, then read by another process")]
    public async Task Version_keys_evicted_while_a_reader_holds_rows_from_before_a_write_never_let_it_store_them(string when)
    {
        using var shop = new ShopHarness(redis);
        using var processB = ResilienceKit.FastConnection(redis);
        var blocker = new BlockAfterReaderExecuted();
        var heldOptions = ResilienceKit.Options(shop, redis.Connection, configure: null, blocker);
        var before = await ResilienceKit.TruthAsync(shop);

        blocker.Arm();
        var held = Task.Run(async () =>
        {
            await using var context = new ShopContext(heldOptions);
            return await ResilienceKit.ProductRowsAsync(context, cached: true);
        });
        await blocker.WaitUntilHeldAsync(); // its versions read, the database has answered with the rows from before

        if (when.StartsWith("before", StringComparison.Ordinal))
        {
            await EvictVersionKeysAsync(shop);
            if (when.EndsWith("another process", StringComparison.Ordinal))
            {
                await CrossProcessReads.AssertReadsAsync(shop, before, "before the write", processB); // seeds the keys anew, stores
            }
        }

        List<string> truth;
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.FindAsync(ShopSeed.NovelId))!.Name = "Evicted while held " + when;
            await writer.SaveChangesAsync();
        }

        truth = await ResilienceKit.TruthAsync(shop);
        if (when.StartsWith("after", StringComparison.Ordinal) || when.Contains("and after", StringComparison.Ordinal))
        {
            await EvictVersionKeysAsync(shop);
            if (when.EndsWith("another process", StringComparison.Ordinal))
            {
                await CrossProcessReads.AssertReadsAsync(shop, truth, "after the write", processB);
            }
        }

        blocker.Release();
        Assert.Equal(before, await held); // it read before the write: the old rows, rightly
        await Task.Delay(100); // its store is fire-and-forget: let it land if it would

        await CrossProcessReads.AssertReadsAsync(shop, truth, $"a reader held while version keys were evicted {when}", redis.Connection, processB);
    }

    /// <summary>
    /// Every version key of the prefix but the global epoch: every entry depends on it, so its eviction alone ends them
    /// all and would hide how the others are handled. After an eviction before the write there may be none left to
    /// evict after it: the bump of a missing key creates none.
    /// </summary>
    private async Task EvictVersionKeysAsync(ShopHarness shop)
    {
        var server = ResilienceKit.Server(redis.Connection);
        var globalEpoch = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":v:all";
        var keys = server.Keys(pattern: RedisServerFixture.KeyStart(shop.KeyPrefix) + ":v:*").Where(k => k != globalEpoch).ToArray();
        if (keys.Length > 0)
        {
            await redis.Connection.GetDatabase().KeyDeleteAsync(keys);
        }
    }
}
