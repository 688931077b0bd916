using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// The comparison the SQLite value tests share: the rows read without the cache (the truth), then a miss — after the
/// same rows were read tracked, when <c>missTracksRows</c>, so EF Core reads only keys and the cache records the other
/// cells with <c>GetValue</c> — then a hit, with no rows kept in process, so the hit decodes what the miss recorded.
/// </summary>
internal static class RecordedValueComparison
{
    public static async Task AssertHitReadsAsTheDatabaseAsync<TContext, TRow>(
        RedisServerFixture redis,
        SqliteTestDatabase database,
        Func<DbContextOptions<TContext>, TContext> create,
        Func<TContext, IQueryable<TRow>> rows,
        Func<List<TRow>, List<string>> describe,
        bool missTracksRows)
        where TContext : DbContext
        where TRow : class
    {
        var prefix = redis.NewKeyPrefix();
        TContext Cached() => create(database.CreateOptions<TContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0;
            })));

        List<string> truth;
        await using (var context = create(database.CreateOptions<TContext>()))
        {
            truth = describe(await rows(context).AsNoTracking().ToListAsync());
        }

        await using (var context = Cached())
        {
            if (missTracksRows)
            {
                await rows(context).ToListAsync();
            }

            await rows(context).Cacheable().ToListAsync();
        }

        await using (var context = Cached())
        {
            Assert.Equal(truth, describe(await rows(context).Cacheable().ToListAsync()));
        }
    }
}
