using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Microsoft.Data.Sqlite reads TEXT as a <see cref="TimeSpan"/> with <c>TimeSpan.Parse(text)</c>, in the current
/// culture (every other conversion of its reader is in the invariant culture): under de-DE, <c>02:03:04,5</c> is
/// 2 h 3 min 4.5 s and <c>1:02:03:04.5</c> is no <see cref="TimeSpan"/> at all. A hit of a miss whose context
/// already tracked the row (EF Core read only the key, the cache recorded the cell as text and converts it on the
/// hit) must read it alike: the same value, or the same exception.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CultureTimeSpanTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Text_the_current_culture_reads_as_a_TimeSpan_reads_the_same_from_a_hit()
    {
        await InCultureAsync("de-DE", async () =>
        {
            await using var lap = await LapsAsync("02:03:04,5");
            TimeSpan truth;
            await using (var context = lap.Uncached())
            {
                truth = (await context.Laps.AsNoTracking().SingleAsync()).Duration;
            }

            Assert.Equal(new TimeSpan(0, 2, 3, 4, 500), truth);
            await lap.MissInATrackingContextAsync();
            await using (var context = lap.Cached())
            {
                Assert.Equal(truth, (await context.Laps.Cacheable().SingleAsync()).Duration);
            }

            Assert.Equal(1, lap.Counter.Queries); // the miss stored the row and the second read was a hit
        });
    }

    [Fact]
    public async Task Text_only_the_invariant_culture_reads_as_a_TimeSpan_throws_from_a_hit_as_from_the_database()
    {
        await InCultureAsync("de-DE", async () =>
        {
            await using var lap = await LapsAsync("1:02:03:04.5");
            await using (var context = lap.Uncached())
            {
                await Assert.ThrowsAsync<FormatException>(() => context.Laps.AsNoTracking().SingleAsync());
            }

            await lap.MissInATrackingContextAsync();
            await using (var context = lap.Cached())
            {
                await Assert.ThrowsAsync<FormatException>(() => context.Laps.Cacheable().SingleAsync());
            }
        });
    }

    /// <summary>
    /// The miss and the hit run in different cultures (requests of an ASP.NET application localized per request): a
    /// <see cref="TimeSpan"/> the miss parsed in its culture would give the hit a value where the database, in the
    /// hit's culture, throws. The first row is read by EF Core, the second, when tracked, is filled by the cache with
    /// the getter it learnt from the first.
    /// </summary>
    [Theory]
    [InlineData("de-DE", "", "02:03:04,5", false)]
    [InlineData("", "de-DE", "1:02:03:04.5", false)]
    [InlineData("de-DE", "", "02:03:04,5", true)]
    [InlineData("", "de-DE", "1:02:03:04.5", true)]
    public async Task Text_read_as_a_TimeSpan_by_a_miss_in_one_culture_reads_on_a_hit_as_the_database_does_in_the_hits_culture(
        string missCulture, string hitCulture, string text, bool missTracksSecondRow)
    {
        await using var lap = await LapsAsync(text, rows: 2);
        await InCultureAsync(missCulture, async () =>
        {
            await using var context = lap.Cached();
            if (missTracksSecondRow)
            {
                context.Attach(new LapTime { Id = 2 });
            }

            Assert.Equal(2, (await context.Laps.OrderBy(l => l.Id).Cacheable().ToListAsync()).Count);
        });

        await InCultureAsync(hitCulture, async () =>
        {
            await using (var context = lap.Uncached())
            {
                await Assert.ThrowsAsync<FormatException>(() => context.Laps.AsNoTracking().OrderBy(l => l.Id).ToListAsync());
            }

            await using (var context = lap.Cached())
            {
                await Assert.ThrowsAsync<FormatException>(() => context.Laps.OrderBy(l => l.Id).Cacheable().ToListAsync());
            }
        });

        Assert.Equal(1, lap.Counter.Queries); // the exception came from a hit, not from the database
    }

    private static async Task InCultureAsync(string name, Func<Task> body)
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            await body();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    /// <summary>Laps whose duration column holds <paramref name="text"/>, as another application may write it.</summary>
    private async Task<LapDatabase> LapsAsync(string text, int rows = 1)
    {
        var lap = new LapDatabase(redis);
        await using var context = lap.Uncached();
        await context.Database.EnsureCreatedAsync();
        for (var id = 1; id <= rows; id++)
        {
            context.Laps.Add(new LapTime { Id = id, Duration = TimeSpan.FromSeconds(id) });
        }

        await context.SaveChangesAsync();
        await context.Database.ExecuteSqlAsync($"UPDATE \"Laps\" SET \"Duration\" = {text}");
        return lap;
    }

    private sealed class LapDatabase(RedisServerFixture redis) : IAsyncDisposable
    {
        private readonly SqliteTestDatabase _database = new();
        private readonly string _prefix = redis.NewKeyPrefix();

        public DatabaseCommandCounter Counter { get; } = new();

        public LapTimeContext Uncached() => new(_database.CreateOptions<LapTimeContext>());

        public LapTimeContext Cached() => new(_database.CreateOptions<LapTimeContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = _prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // the hit decodes what the miss recorded
            })
            .AddInterceptors(Counter)));

        /// <summary>The cacheable read in a context that already tracks the row, so EF Core reads only its key.</summary>
        public async Task MissInATrackingContextAsync()
        {
            await using var context = Cached();
            context.Attach(new LapTime { Id = 1 });
            await context.Laps.Cacheable().SingleAsync();
        }

        public ValueTask DisposeAsync()
        {
            _database.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
