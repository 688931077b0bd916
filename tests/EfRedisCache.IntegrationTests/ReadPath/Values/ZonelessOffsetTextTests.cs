using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Microsoft.Data.Sqlite 10 reads TEXT without an offset (<c>2024-01-02 03:04:05</c>, as another application may write
/// it) as a <see cref="DateTimeOffset"/> at offset zero, whatever the process's time zone. A hit recorded with
/// <c>GetValue</c> (a miss in a context tracking the rows) must too, in a process that does not run in UTC.
/// </summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class ZonelessOffsetTextTests(RedisServerFixture redis)
{
    [Fact]
    public Task A_hit_reads_offsets_of_text_without_one_at_offset_zero_in_a_process_outside_utc()
        => RecordedValueComparison.AssertMomentsReadAsTheDatabaseInTokyoAsync(
            redis,
            "INSERT INTO \"Moments\" (\"Id\", \"At\") VALUES (1, '2024-01-02 03:04:05'), (2, '2024-07-02T03:04:05.5'), (3, '2024-07-02 03:04:05+02:00')");

    /// <summary>Dates as text with and without an offset or a <c>Z</c>: the kind and the instant must not follow the zone.</summary>
    [Fact]
    public async Task A_hit_reads_dates_written_as_text_as_the_database_does_in_a_process_outside_utc()
    {
        await ProcessTimeZone.RunInAsync("Asia/Tokyo", async () =>
        {
            using var database = new SqliteTestDatabase();
            await using (var context = new JulianStampContext(database.CreateOptions<JulianStampContext>()))
            {
                await context.Database.EnsureCreatedAsync();
                await context.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"Stamps\" (\"Id\", \"At\", \"Day\") VALUES (1, '2024-01-02 03:04:05', '2024-01-02'), "
                    + "(2, '2024-07-02T03:04:05.5Z', '2024-07-02'), (3, '2024-07-02 03:04:05+02:00', '2024-07-03')");
            }

            await RecordedValueComparison.AssertHitReadsAsTheDatabaseAsync(
                redis,
                database,
                (DbContextOptions<JulianStampContext> options) => new JulianStampContext(options),
                context => context.Stamps.OrderBy(row => row.Id),
                stamps => [.. stamps.Select(s => s.At.ToString("O", CultureInfo.InvariantCulture) + "|" + s.At.Kind + "|" + s.Day.ToString("O", CultureInfo.InvariantCulture))],
                missTracksRows: true);
        });
    }
}
