using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>A SaveChanges of 20,000 rows on SQLite: read fresh, cached again at once, and a bounded invalidation script (<see cref="LargeSaveScenario"/>).</summary>
[Collection(RedisCollection.Name)]
public sealed class LargeSaveInvalidationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task An_import_of_20000_rows_is_read_fresh_and_cached_again_without_a_version_key_per_row_in_its_bump()
    {
        using var shop = new ShopHarness(redis);
        await LargeSaveScenario.ImportAsync(redis, shop);
    }

    [Fact]
    public async Task An_import_in_batches_of_1000_in_one_transaction_holds_no_row_key_per_row_until_its_commit()
    {
        using var shop = new ShopHarness(redis);
        await LargeSaveScenario.ImportInBatchesInOneTransactionAsync(redis, shop);
    }

    [Fact]
    public async Task A_loop_of_20000_updates_is_read_fresh_and_cached_again_without_a_version_key_per_row_in_its_bump()
    {
        using var shop = new ShopHarness(redis);
        await LargeSaveScenario.UpdateEachAsync(redis, shop);
    }
}
