using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A service runs for weeks: the version keys it leaves in Redis must not grow with every row it ever saved or looked
/// up. Row versions are one key per row; before, a save created one for every row it wrote (no reader ever depended on
/// most of them: an insert-heavy table left a key per row inserted) and a key lookup one for every row it read, all
/// without an expiry, so Redis grew by a key per row for as long as the service ran.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class VersionKeyLifetimeTests(RedisServerFixture redis)
{
    private const int Rows = 200;

    [Fact]
    public async Task Saving_many_new_rows_creates_no_version_key_per_row()
    {
        using var shop = new ShopHarness(redis);
        await using (var writer = shop.NewContext())
        {
            for (var i = 0; i < Rows; i++)
            {
                writer.Products.Add(new Product { Id = 10_000 + i, Name = $"Bulk {i}", Price = 1m, CreatedAt = ShopSeed.CreatedAt, CategoryId = ShopSeed.HardwareCategoryId, Sku = Guid.NewGuid() });
            }

            await writer.SaveChangesAsync();
        }

        var versionKeys = ReadPath.ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":v:*");
        Assert.True(versionKeys.Count < 10, $"{versionKeys.Count} version keys left in Redis by one save of {Rows} new rows that nothing reads");
    }

    [Fact]
    public async Task Version_keys_of_key_lookups_expire_and_outlive_the_entries_that_depend_on_them()
    {
        var ttl = TimeSpan.FromSeconds(30);
        using var shop = new ShopHarness(redis);
        for (var id = 1; id <= Rows; id++)
        {
            await LookUpAsync(shop, id, ttl);
        }

        var database = redis.Connection.GetDatabase();
        var persistent = new List<string>();
        foreach (var key in ReadPath.ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":v:*"))
        {
            var left = await database.KeyTimeToLiveAsync(key);
            if (left is null)
            {
                persistent.Add(key);
            }
            else
            {
                // The entries were stored with the query's TTL: their versions must last at least as long.
                Assert.True(left > ttl - TimeSpan.FromSeconds(10), $"{key} expires in {left}, before the entries stored under it ({ttl})");
            }
        }

        // The global epoch the server check bumps may stay, one per key prefix; not a key per row.
        Assert.True(persistent.Count < 3, $"{persistent.Count} version keys without an expiry after {Rows} key lookups, e.g. {string.Join(", ", persistent.Take(3))}");

        // The entries are still hits: their versions outlived the lookups.
        shop.Counter.Reset();
        await LookUpAsync(shop, 1, ttl);
        await LookUpAsync(shop, Rows, ttl);
        Assert.Equal(0, shop.Counter.Queries);
    }

    [Fact]
    public async Task A_version_key_created_for_a_short_lived_entry_lives_as_long_as_a_longer_lived_entry_stored_under_it()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable(TimeSpan.FromMilliseconds(100)).Select(p => p.Name).ToListAsync();
        }

        var longTtl = TimeSpan.FromMinutes(10);
        await using (var context = shop.NewContext())
        {
            await context.Products.Cacheable(longTtl).Select(p => p.Price).ToListAsync();
        }

        var database = redis.Connection.GetDatabase();
        var table = Assert.Single(ReadPath.ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":v:*:t:products"));
        TimeSpan? left = null;
        for (var attempt = 0; attempt < 40 && (left ?? TimeSpan.Zero) < longTtl - TimeSpan.FromMinutes(1); attempt++)
        {
            await Task.Delay(50); // the store is fire-and-forget
            left = await database.KeyTimeToLiveAsync(table);
        }

        Assert.True(left is { } found && found > longTtl - TimeSpan.FromMinutes(1), $"the table's version expires in {left?.ToString() ?? "never"}, an entry stored under it in {longTtl}");
    }

    private static async Task LookUpAsync(ShopHarness shop, int id, TimeSpan ttl)
    {
        await using var context = shop.NewContext();
        await context.Products.AsNoTracking().Cacheable(ttl).FirstOrDefaultAsync(p => p.Id == id);
    }
}
