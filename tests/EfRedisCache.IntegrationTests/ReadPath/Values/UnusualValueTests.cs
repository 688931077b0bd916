using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Invariant 1 for the values the shop model does not hold (<see cref="Oddity"/>): a hit gives, bit for bit, what
/// the database gives — the sign of a zero, infinities, NaN (PostgreSQL; SQLite stores it as NULL), the last tick of
/// a time of day, a character, unsigned integers, a complex type, primitive collections. Read once by a fresh
/// context (the cells recorded in the types EF Core asks for) and once by a context that already tracks the rows
/// (the cells recorded with <c>GetValue</c> and converted by the cache on the hit).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UnusualValueTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgresql", false)]
    [InlineData("postgresql", true)]
    public async Task A_hit_reads_every_unusual_value_as_the_database_does(string provider, bool missTracksRows)
    {
        using ITestDatabase database = provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        OddityContext Uncached() => new(database.CreateOptions<OddityContext>());
        OddityContext Cached() => new(database.CreateOptions<OddityContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // every hit decodes Redis's bytes
            })
            .AddInterceptors(counter)));

        await using (var context = Uncached())
        {
            await context.Database.EnsureCreatedAsync();
            context.Oddities.AddRange(
                new Oddity
                {
                    Id = 1, Letter = 'é', MaybeLetter = null, At = TimeOnly.MaxValue, Duration = TimeSpan.FromTicks(-123456789),
                    Day = DateOnly.MinValue, Unspecified = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Unspecified).AddTicks(9_999_990),
                    Real = -0.0, Fraction = float.Epsilon, Tiny = sbyte.MinValue, Octet = byte.MaxValue, Port = ushort.MaxValue,
                    Count = uint.MaxValue, Small = short.MinValue, Amount = 1.00m, Flag = true, Shade = Shade.Dark,
                    Words = ["", "a,b", "\"quoted\"", "ünïcode"], Numbers = [int.MinValue, 0, int.MaxValue],
                    Size = new Dimensions { Width = double.PositiveInfinity, Depth = -0.0f, Unit = null },
                },
                new Oddity
                {
                    Id = 2, Letter = '\'', MaybeLetter = 'Z', At = new TimeOnly(0, 0, 0, 0, 1), Duration = TimeSpan.FromDays(3650),
                    Day = DateOnly.MaxValue, Unspecified = DateTime.MinValue,
                    Real = provider == "sqlite" ? double.NegativeInfinity : double.NaN, Fraction = float.MaxValue, Tiny = sbyte.MaxValue,
                    Octet = 0, Port = 0, Count = 0, Small = short.MaxValue, Amount = 1.0m, Flag = false, Shade = Shade.Light,
                    Words = [], Numbers = [],
                    Size = new Dimensions { Width = double.Epsilon, Depth = float.NegativeInfinity, Unit = "mm" },
                });
            await context.SaveChangesAsync();
        }

        List<string> truth;
        await using (var context = Uncached())
        {
            truth = Describe(await context.Oddities.AsNoTracking().OrderBy(o => o.Id).ToListAsync());
        }

        await using (var context = Cached())
        {
            if (missTracksRows)
            {
                await context.Oddities.ToListAsync(); // not cacheable: the context now tracks both rows
            }

            Assert.Equal(truth, Describe(await context.Oddities.OrderBy(o => o.Id).Cacheable().ToListAsync())); // the miss
        }

        for (var hit = 0; hit < 2; hit++)
        {
            await using var context = Cached();
            Assert.Equal(truth, Describe(await context.Oddities.AsNoTracking().OrderBy(o => o.Id).Cacheable().ToListAsync()));
        }

        Assert.Equal(missTracksRows ? 2 : 1, counter.Queries); // both later reads were hits
    }

    private static List<string> Describe(List<Oddity> oddities) => oddities
        .Select(o => string.Join(
            "|",
            o.Id,
            (int)o.Letter,
            o.MaybeLetter is { } letter ? (int)letter : -1,
            o.At.Ticks,
            o.Duration.Ticks,
            o.Day.DayNumber,
            o.Unspecified.Ticks,
            o.Unspecified.Kind,
            BitConverter.DoubleToInt64Bits(o.Real),
            BitConverter.SingleToInt32Bits(o.Fraction),
            o.Tiny,
            o.Octet,
            o.Port,
            o.Count,
            o.Small,
            o.Amount.ToString(CultureInfo.InvariantCulture),
            o.Flag,
            o.Shade,
            string.Join("¦", o.Words),
            o.Words.Count,
            string.Join(",", o.Numbers),
            BitConverter.DoubleToInt64Bits(o.Size.Width),
            BitConverter.SingleToInt32Bits(o.Size.Depth),
            o.Size.Unit ?? "<null>"))
        .ToList();
}
