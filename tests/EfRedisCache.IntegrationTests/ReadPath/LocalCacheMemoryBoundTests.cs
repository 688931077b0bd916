using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// README, "Limits": "Rows kept in process cost memory: up to <c>LocalCacheMaxBytes</c> per registration". Rows a
/// miss stored are kept as recorded (an object array per row, a boxed object per cell) and counted at three times
/// their encoded size; a small number encodes in one or two bytes but is held as a 24-byte box plus an 8-byte
/// reference, so such results hold several times what they are counted at (here ~5.5 MB each, counted at ~1.6 MB:
/// 0.55 MB encoded), and the bound is passed several times over (~33 MB held under a 12 MB bound).
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class LocalCacheMemoryBoundTests(RedisServerFixture redis)
{
    private const int Rows = 30_000;
    private const long LocalCacheMaxBytes = 12L * 1024 * 1024;

    [Fact]
    public async Task Results_kept_after_misses_hold_no_more_memory_than_LocalCacheMaxBytes_allows()
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        await using (var seed = new GridContext(database.CreateOptions<GridContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            await seed.Database.ExecuteSqlAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO Grid (Id, A, B, C, D, E, F, G) SELECT i, i % 7, i % 100, 3, i % 50, i % 90, 1, 2 FROM n");
        }

        using var connection = redis.CreateConnection();
        DbContextOptions<GridContext> Options(string keyPrefix, long localCacheMaxBytes) => database.CreateOptions<GridContext>(b => b.UseRedisCacheAside(connection, o =>
        {
            o.KeyPrefix = keyPrefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
            o.LocalCacheMaxBytes = localCacheMaxBytes;
        }));

        // The same misses with nothing kept first: what a miss leaves behind anyway (pooled buffers, the
        // multiplexer's and SQLite's caches, the compiled query) is then in place before the measure.
        var keepingNothing = Options(redis.NewKeyPrefix(), 0);
        await ReadSixAsync(keepingNothing);
        var baseline = await SettledMemoryAsync();
        await ReadSixAsync(Options(redis.NewKeyPrefix(), 0));
        var leftByMissesAlone = AllowanceFor(GC.GetTotalMemory(forceFullCollection: true) - baseline);

        var keeping = Options(prefix, LocalCacheMaxBytes);
        var before = await SettledMemoryAsync();
        await ReadSixAsync(keeping); // six entries, each a miss that stores and keeps its rows: counted at ~1.6 MB each, all fit
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(retained - leftByMissesAlone < LocalCacheMaxBytes * 3 / 2, // room for measuring noise
            $"after six misses this process holds {retained / 1024} KB more than before ({leftByMissesAlone / 1024} KB when nothing is kept), with LocalCacheMaxBytes = {LocalCacheMaxBytes / 1024} KB");
        GC.KeepAlive(keeping);
        GC.KeepAlive(keepingNothing);
    }

    /// <summary>
    /// Many small results (a value per key lookup): what each kept result costs beyond its rows — the memory cache's
    /// entry, its key, the versions text — is of the order of the rows themselves, and was not counted, so the bound
    /// was passed several times over.
    /// </summary>
    [Fact]
    public async Task Many_small_results_kept_hold_no_more_memory_than_LocalCacheMaxBytes_allows()
    {
        const int Lookups = 4_000;
        const long SmallBound = 256 * 1024;
        using var database = new SqliteTestDatabase();
        await using (var seed = new GridContext(database.CreateOptions<GridContext>()))
        {
            await seed.Database.EnsureCreatedAsync();
            await seed.Database.ExecuteSqlAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Lookups}) INSERT INTO Grid (Id, A, B, C, D, E, F, G) SELECT i, i % 7, i % 100, 3, i % 50, i % 90, 1, 2 FROM n");
        }

        using var connection = redis.CreateConnection();
        DbContextOptions<GridContext> Options(long localCacheMaxBytes) => database.CreateOptions<GridContext>(b => b.UseRedisCacheAside(connection, o =>
        {
            o.KeyPrefix = redis.NewKeyPrefix();
            o.RedisTimeout = ShopHarness.RoomyBudget;
            o.LocalCacheMaxBytes = localCacheMaxBytes;
        }));

        async Task LookUpAllAsync(DbContextOptions<GridContext> options)
        {
            for (var id = 1; id <= Lookups; id++)
            {
                await using var context = new GridContext(options);
                Assert.Equal(id % 7, await context.Grid.Where(g => g.Id == id).Select(g => g.A).Cacheable().SingleAsync());
            }
        }

        var keepingNothing = Options(0);
        await LookUpAllAsync(keepingNothing);
        var baseline = await SettledMemoryAsync();
        await LookUpAllAsync(Options(0));
        var leftByMissesAlone = AllowanceFor(GC.GetTotalMemory(forceFullCollection: true) - baseline);

        var keeping = Options(SmallBound);
        var before = await SettledMemoryAsync();
        await LookUpAllAsync(keeping);

        // The memory cache compacts on a pool thread once over its bound, which a busy machine may run late: the bound
        // must hold within a few seconds, not at once.
        long retained;
        var settling = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(500);
            retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        }
        while (retained - leftByMissesAlone >= SmallBound * 3 / 2 && settling.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(retained - leftByMissesAlone < SmallBound * 3 / 2, // room for measuring noise
            $"after {Lookups} small misses this process holds {retained / 1024} KB more than before ({leftByMissesAlone / 1024} KB when nothing is kept), with LocalCacheMaxBytes = {SmallBound / 1024} KB");
        GC.KeepAlive(keeping);
        GC.KeepAlive(keepingNothing);
    }

    /// <summary>
    /// The heap once it stops shrinking: in a full run, what hundreds of earlier tests' registrations hold is let go
    /// late (finalizers, timers), and 8 MB of it freed inside a measure once made the allowance below negative.
    /// </summary>
    private static async Task<long> SettledMemoryAsync()
    {
        var reading = GC.GetTotalMemory(forceFullCollection: true);
        var settling = System.Diagnostics.Stopwatch.StartNew();
        for (var steady = 0; steady < 3 && settling.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(200);
            var next = GC.GetTotalMemory(forceFullCollection: true);
            steady = Math.Abs(next - reading) < 64 * 1024 ? steady + 1 : 0;
            reading = next;
        }

        return reading;
    }

    /// <summary>
    /// What misses that keep nothing leave behind, allowed on top of the bound. Memory the process let go of meanwhile
    /// (a negative difference) says nothing about them and is no allowance.
    /// </summary>
    private static long AllowanceFor(long leftByMissesAlone) => Math.Max(0, leftByMissesAlone);

    private static async Task ReadSixAsync(DbContextOptions<GridContext> options)
    {
        for (var floor = 0; floor < 6; floor++)
        {
            await ReadAsync(options, floor);
        }
    }

    private static async Task ReadAsync(DbContextOptions<GridContext> options, int floor)
    {
        await using var context = new GridContext(options);
        var rows = await context.Grid.AsNoTracking().Where(g => g.Id > floor).OrderBy(g => g.Id).Cacheable().ToListAsync();
        Assert.Equal(floor < 0 ? Rows : Rows - floor, rows.Count);
    }
}
