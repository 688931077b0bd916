using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Resilience;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An entry whose early-refresh field (<c>c</c>: compute time and expiry) holds garbage while its versions and rows
/// are valid: another program, another library version, a hand edit. Invariant 5: garbage in Redis is a miss or
/// a hit with the right rows, never an exception — also on the way to keeping the rows in process.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class EntryMetadataGarbageTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("0:9000000000000000")] // ~285,000 years from 1970: beyond DateTimeOffset and TimeSpan
    [InlineData("0:9223372036854775807")]
    [InlineData("0:260000000000000")] // year ~10209: a TimeSpan still, but past DateTimeOffset.MaxValue once added to now
    public async Task An_expiry_beyond_any_clock_gives_the_right_rows_without_an_exception(string meta)
    {
        using var shop = new ShopHarness(redis);
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(shop)); // a miss, stored fire-and-forget
        var database = redis.Connection.GetDatabase();
        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix).Length == 1), TimeSpan.FromSeconds(5)), "the entry was not stored");
        var entry = Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));
        await database.HashSetAsync(entry, "c", meta);

        Assert.Equal(truth, await ReadAsync(shop)); // a hit on valid versions and rows: decoded, then kept
        Assert.Equal(truth, await ReadAsync(shop));
    }

    private static async Task<List<string>> ReadAsync(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return await ResilienceKit.ProductRowsAsync(context, cached: true);
    }
}
