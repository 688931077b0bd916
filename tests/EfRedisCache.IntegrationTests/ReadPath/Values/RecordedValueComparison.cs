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

    /// <summary>
    /// Moments (<see cref="DateTimeOffset"/>) that raw SQL stored (<paramref name="insert"/>, into <c>"Moments"</c>), read
    /// in a process in Tokyo, not UTC: the hit, recorded by a miss whose context tracked the rows, must read as the database.
    /// </summary>
    public static Task AssertMomentsReadAsTheDatabaseInTokyoAsync(RedisServerFixture redis, string insert)
        => ProcessTimeZone.RunInAsync("Asia/Tokyo", async () =>
        {
            using var database = new SqliteTestDatabase();
            await using (var context = new JulianMomentContext(database.CreateOptions<JulianMomentContext>()))
            {
                await context.Database.EnsureCreatedAsync();
                await context.Database.ExecuteSqlRawAsync(insert);
            }

            await AssertHitReadsAsTheDatabaseAsync(
                redis,
                database,
                (DbContextOptions<JulianMomentContext> options) => new JulianMomentContext(options),
                context => context.Moments.OrderBy(row => row.Id),
                moments => [.. moments.Select(m => m.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture))],
                missTracksRows: true);
        });
}
