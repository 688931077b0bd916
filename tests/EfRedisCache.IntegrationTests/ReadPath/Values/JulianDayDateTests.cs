using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Microsoft.Data.Sqlite reads a REAL or an INTEGER in a date column as a Julian day number, to the millisecond
/// (<c>julianday()</c> writes them). A hit must give the same dates also when the miss ran in a context that already
/// tracked the rows, which makes EF Core read only keys and the cache record the other cells with <c>GetValue</c>.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class JulianDayDateTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hit_reads_julian_day_dates_as_the_database_does(bool missTracksRows)
    {
        using var database = new SqliteTestDatabase();
        await using (var context = new JulianStampContext(database.CreateOptions<JulianStampContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            await context.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Stamps\" (\"Id\", \"At\", \"Day\") VALUES (1, 2460000.123456789, 2460000.75), (2, 2460001, 2460001), (3, 1721425.5, 1721426)");
        }

        await RecordedValueComparison.AssertHitReadsAsTheDatabaseAsync(
            redis,
            database,
            (DbContextOptions<JulianStampContext> options) => new JulianStampContext(options),
            context => context.Stamps.OrderBy(row => row.Id),
            Describe,
            missTracksRows);
    }

    private static List<string> Describe(List<JulianStamp> stamps) => [.. stamps.Select(s => $"{s.At.Ticks} {s.At.Kind} {s.Day.DayNumber}")];
}
