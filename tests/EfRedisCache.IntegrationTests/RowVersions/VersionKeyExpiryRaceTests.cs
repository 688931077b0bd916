using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Version keys expire (and, under a <c>volatile-*</c> eviction policy, may be evicted), and a bump leaves a missing key
/// missing. A reader whose query outlives its version keys — they expire between its lookup and its store, and a write
/// commits meanwhile, whose bump then finds nothing to bump — must not get its rows from before the write served: not
/// from Redis, not from the rows it keeps in process, whether or not another process recreated the keys meanwhile.
/// Two multiplexers stand for two processes; deleting the keys stands for their expiry at that moment.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class VersionKeyExpiryRaceTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task A_reader_whose_version_keys_expire_during_its_query_never_serves_its_rows_after_a_write_that_found_no_key_to_bump(bool otherProcessReadsMeanwhile, bool async)
    {
        using var shop = new ShopHarness(redis);
        using var readerProcess = ResilienceKit.FastConnection(redis);
        var blocker = new BlockAfterReaderExecuted();
        var readerOptions = ResilienceKit.Options(shop, readerProcess, configure: null, blocker);
        var otherOptions = ResilienceKit.Options(shop, redis.Connection);

        // Warm: the list is in Redis and kept in both processes.
        await ReadAsync(readerOptions, async);
        await ReadAsync(readerOptions, async);
        await ReadAsync(otherOptions, async);

        // A first write, so the held reader misses and reads the database under the versions it bumped.
        await RenameAsync(shop, "First");
        var beforeSecondWrite = await ResilienceKit.TruthAsync(shop);

        blocker.Arm();
        var held = Task.Run(() => ReadAsync(readerOptions, async));
        await blocker.WaitUntilHeldAsync();

        // The reader's version keys expire while its query runs; the write's bump then finds none.
        var database = redis.Connection.GetDatabase();
        foreach (var key in ReadPath.ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":v:*"))
        {
            await database.KeyDeleteAsync(key);
        }

        await RenameAsync(shop, "Second");
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.NotEqual(beforeSecondWrite, truth);

        if (otherProcessReadsMeanwhile)
        {
            // Recreates the keys with new seeds, and stores the rows after the write.
            Assert.Equal(truth, await ReadAsync(otherOptions, async));
        }

        blocker.Release();
        Assert.Equal(beforeSecondWrite, await held); // it read before the write: the old rows, rightly
        await Task.Delay(200); // the store is fire-and-forget

        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(truth, await ReadAsync(readerOptions, async));
            Assert.Equal(truth, await ReadAsync(otherOptions, async));
        }
    }

    private static async Task<List<string>> ReadAsync(DbContextOptions<ShopContext> options, bool async)
    {
        await using var context = new ShopContext(options);
        var query = context.Products.OrderBy(p => p.Id).Cacheable(TimeSpan.FromMinutes(10));
        var rows = async ? await query.ToListAsync() : query.ToList();
        return rows.Select(ResilienceKit.Describe).ToList();
    }

    private static async Task RenameAsync(ShopHarness shop, string name)
    {
        await using var writer = shop.NewContext();
        var product = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
        product.Name = name;
        await writer.SaveChangesAsync();
    }
}
