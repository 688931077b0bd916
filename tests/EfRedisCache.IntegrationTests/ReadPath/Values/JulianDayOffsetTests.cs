using EfRedisCache.IntegrationTests.Infrastructure;

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
    public Task A_hit_reads_julian_day_offsets_at_offset_zero_in_a_process_outside_utc()
        => RecordedValueComparison.AssertMomentsReadAsTheDatabaseInTokyoAsync(
            redis, "INSERT INTO \"Moments\" (\"Id\", \"At\") VALUES (1, 2460000.123456789), (2, 2460001)");
}
