using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Microsoft.Data.Sqlite reads a REAL as a decimal or a string through SQLite's own text of it, which has as many
/// digits as the double needs (up to 17) and SQLite's own choice of exponent. A hit must give that very text and
/// that decimal, also when the miss ran in a context that already tracked the row (EF Core then reads only the key,
/// and the cache records the REAL itself); where the database read throws (a REAL beyond decimal's range), the hit
/// throws the same exception.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SqliteRealTextTests(RedisServerFixture redis)
{
    public static TheoryData<double, bool> Reals()
    {
        double[] reals =
        [
            0.1 + 0.2, 1e-7, 123456789.12345678, 0.1, 2.0 / 3, 1.0 / 3, 1e15, 1e16, 1e17, 1.2345678901234568e17,
            9007199254740993, 5e-324, 2.2250738585072014e-308, -0.0, -1.5e-10, 1e-5, 0.0001, 100.0, 1e21,
            1e300, double.MaxValue, -double.MaxValue, 7.922816251426434e28, 1.2345678901234567e-20,
        ];
        var data = new TheoryData<double, bool>();
        foreach (var real in reals)
        {
            data.Add(real, false);
            data.Add(real, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reals))]
    public async Task A_hit_reads_a_real_as_decimal_and_text_as_the_database_does(double real, bool missTracksRow)
    {
        using var database = new SqliteTestDatabase();
        await using (var context = new RealReadingContext(database.CreateOptions<RealReadingContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            var value = new SqliteParameter("$real", SqliteType.Real) { Value = real };
            await context.Database.ExecuteSqlRawAsync(
                "INSERT INTO Readings (Id, AsDecimal, AsText, AsDouble) VALUES (1, $real, $real, $real)", value);
        }

        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        RealReadingContext Cached() => new(database.CreateOptions<RealReadingContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // the hit decodes what the miss recorded
            })
            .AddInterceptors(counter)));

        string truth;
        await using (var context = new RealReadingContext(database.CreateOptions<RealReadingContext>()))
        {
            truth = await DescribeAsync(context.Readings.AsNoTracking());
        }

        await using (var context = Cached())
        {
            if (missTracksRow)
            {
                context.Attach(new RealReading { Id = 1 }); // the miss then reads the key only
            }

            await DescribeAsync(context.Readings.Cacheable());
        }

        await using (var context = Cached())
        {
            Assert.Equal(truth, await DescribeAsync(context.Readings.AsNoTracking().Cacheable()));
        }

        if (missTracksRow)
        {
            Assert.Equal(1, counter.Queries); // the second read was a hit
        }
    }

    private static async Task<string> DescribeAsync(IQueryable<RealReading> readings)
    {
        try
        {
            var row = await readings.SingleAsync();
            return string.Join(
                "|",
                row.AsDecimal is { } m ? string.Join(",", decimal.GetBits(m)) + " " + m.ToString(CultureInfo.InvariantCulture) : "<null>",
                row.AsText ?? "<null>",
                row.AsDouble is { } d ? BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture) : "<null>");
        }
        catch (Exception ex)
        {
            return $"throws {ex.GetType().Name}";
        }
    }
}
