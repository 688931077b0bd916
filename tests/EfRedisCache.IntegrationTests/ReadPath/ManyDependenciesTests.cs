using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A query that depends on many version keys — a list tagged with one tag per item it shows, say — is a hit like any
/// other. Before, a versions text longer than 4 KB (about 240 dependencies) never compared equal on the client: the rows
/// kept in process were dropped on every hit and each hit ran the lookup script and decoded the payload again.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ManyDependenciesTests(RedisServerFixture redis)
{
    private static readonly string[] Tags = [.. Enumerable.Range(0, 300).Select(i => $"product-{i}")];

    [Fact]
    public async Task A_query_with_300_tags_is_answered_by_the_rows_kept_in_process()
    {
        using var localHits = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.local_hits");
        using var shop = new ShopHarness(redis);
        var first = await ReadAsync(shop);
        Assert.Equal(1, shop.Counter.Queries);

        // Garbage where the rows were: only the kept rows can answer now without the database.
        var entry = Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        await redis.Connection.GetDatabase().HashSetAsync(entry, "d", new byte[] { 1, 2, 3 });
        var before = localHits.GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(first, await ReadAsync(shop));
        Assert.Equal(1, shop.Counter.Queries);
        Assert.True(localHits.GetMeasurementSnapshot().Sum(m => m.Value) > before, "the hit should have been answered by the kept rows");

        // And a write to one of its tags still ends them.
        await using (var context = shop.NewContext())
        {
            await context.GetCacheInvalidator().InvalidateTagsAsync(["product-299"]);
        }

        Assert.Equal(first, await ReadAsync(shop));
        Assert.Equal(2, shop.Counter.Queries);
    }

    private static async Task<List<string>> ReadAsync(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return await context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable(TimeSpan.FromMinutes(5), Tags).ToListAsync();
    }
}
