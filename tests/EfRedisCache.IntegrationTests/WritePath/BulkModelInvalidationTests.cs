using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary><see cref="BulkModelCases"/> on SQLite.</summary>
[Collection(RedisCollection.Name)]
public sealed class BulkModelInvalidationTests(RedisServerFixture redis)
{
    public static TheoryData<string> Names => BulkModelCases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bulk_write_over_the_model_invalidates_every_query_it_changed(string name)
    {
        using var shop = new ShopHarness(redis);
        await BulkModelCases.RunAsync(shop, name);
    }
}
