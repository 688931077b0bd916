using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A key lookup is versioned by its row only when its WHERE names the key column. PostgreSQL tells quoted names apart by
/// case: <c>WHERE b."id" = @p</c> reads another column than the key <c>"Id"</c>, and its value names no row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KeyColumnCaseTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task A_read_by_a_column_named_like_the_key_in_another_case_sees_the_save_of_the_row_it_read()
    {
        using var database = postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        BadgeContext Cached() => new(database.CreateOptions<BadgeContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        })));
        static async Task<string?> NameByLegacyIdAsync(BadgeContext c, int legacyId)
            => (await c.Badges.AsNoTracking().Cacheable().FirstOrDefaultAsync(b => b.LegacyId == legacyId))?.Name;

        await using (var context = new BadgeContext(database.CreateOptions<BadgeContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.Badges.AddRange(new Badge { Id = 1, LegacyId = 7, Name = "old" }, new Badge { Id = 7, LegacyId = 100, Name = "other" });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Cached();
            Assert.Equal("old", await NameByLegacyIdAsync(context, 7));
        }

        await using (var writer = Cached())
        {
            (await writer.Badges.SingleAsync(b => b.Id == 1)).Name = "new";
            await writer.SaveChangesAsync();
        }

        await using (var reader = Cached())
        {
            Assert.Equal("new", await NameByLegacyIdAsync(reader, 7));
        }
    }
}
