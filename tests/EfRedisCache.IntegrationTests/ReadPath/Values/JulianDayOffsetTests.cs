using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Microsoft.Data.Sqlite reads a Julian day number (REAL or INTEGER) as a <see cref="DateTimeOffset"/> at offset zero,
/// whatever the process's time zone. A hit recorded with <c>GetValue</c> (a miss in a context tracking the rows) must
/// too, in a process that does not run in UTC.
/// </summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class JulianDayOffsetTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_hit_reads_julian_day_offsets_at_offset_zero_in_a_process_outside_utc()
    {
        await ProcessTimeZone.RunInAsync("Asia/Tokyo", async () =>
        {
            using var database = new SqliteTestDatabase();
            await using (var context = new JulianMomentContext(database.CreateOptions<JulianMomentContext>()))
            {
                await context.Database.EnsureCreatedAsync();
                await context.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"Moments\" (\"Id\", \"At\") VALUES (1, 2460000.123456789), (2, 2460001)");
            }

            await RecordedValueComparison.AssertHitReadsAsTheDatabaseAsync(
                redis,
                database,
                (DbContextOptions<JulianMomentContext> options) => new JulianMomentContext(options),
                context => context.Moments.OrderBy(row => row.Id),
                Describe,
                missTracksRows: true);
        });
    }

    private static List<string> Describe(List<JulianMoment> moments) => [.. moments.Select(m => m.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture))];
}
