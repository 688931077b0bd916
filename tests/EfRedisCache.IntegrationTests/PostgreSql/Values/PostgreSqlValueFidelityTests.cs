using System.Collections;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Net.NetworkInformation;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// Invariant 1 for the column types users map on PostgreSQL (<see cref="PgValue"/>): a differential read of every
/// value — uncached, a miss, a hit without tracking, a hit into a fresh tracking context, a projection, and a miss
/// recorded by a context that already tracked the rows (its cells recorded with <c>GetValue</c>) — gives the same
/// CLR values, the same <see cref="DateTime.Kind"/>, the same offsets and decimal scales. Values outside the codec
/// (<see cref="PgNetworkValue"/>) are declined: read from the database every time, logged and counted.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlValueFidelityTests(RedisServerFixture redis, PostgresFixture postgres) : PgValueTestBase(redis, postgres)
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public async Task Every_postgresql_value_reads_the_same_from_a_miss_a_hit_a_tracking_hit_and_a_projection(long localCacheMaxBytes)
    {
        await SeedAsync();
        var prefix = Redis.NewKeyPrefix();

        List<string> truth, trackedTruth, projectedTruth;
        await using (var context = Uncached())
        {
            truth = Describe(await context.Values.AsNoTracking().OrderBy(v => v.Id).ToListAsync());
        }

        await using (var context = Uncached())
        {
            trackedTruth = Describe(await context.Values.OrderBy(v => v.Id).ToListAsync());
        }

        await using (var context = Uncached())
        {
            projectedTruth = await ProjectAsync(context);
        }

        Assert.Equal(truth, trackedTruth);
        for (var read = 0; read < 2; read++)
        {
            Counter.Reset();
            await using (var context = Cached(prefix, localCacheMaxBytes))
            {
                Assert.Equal(truth, Describe(await context.Values.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync()));
            }

            await using (var context = Cached(prefix, localCacheMaxBytes))
            {
                Assert.Equal(truth, Describe(await context.Values.OrderBy(v => v.Id).Cacheable().ToListAsync()));
            }

            await using (var context = Cached(prefix, localCacheMaxBytes))
            {
                Assert.Equal(projectedTruth, await ProjectAsync(context, cacheable: true));
            }

            if (read == 1)
            {
                Assert.Equal(0, Counter.Queries); // the second round is all hits
            }
        }

        // The cells recorded with GetValue: the context that misses already tracks every row.
        var trackedPrefix = Redis.NewKeyPrefix();
        await using (var context = Cached(trackedPrefix, localCacheMaxBytes))
        {
            await context.Values.ToListAsync();
            Assert.Equal(truth, Describe(await context.Values.OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }

        Counter.Reset();
        await using (var context = Cached(trackedPrefix, localCacheMaxBytes))
        {
            Assert.Equal(truth, Describe(await context.Values.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }

        await using (var context = Cached(trackedPrefix, localCacheMaxBytes))
        {
            Assert.Equal(truth, Describe(await context.Values.OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }

        Assert.True(0 == Counter.Queries, Logs());
    }

    [Fact]
    public async Task An_infinite_date_recorded_with_GetValue_is_never_read_from_a_hit_as_the_last_day_of_9999()
    {
        await SeedAsync();
        await using (var context = Uncached())
        {
            // Npgsql's GetValue reads infinity and 9999-12-31 alike as DateOnly.MaxValue; GetDateTime reads them apart.
            await context.Database.ExecuteSqlRawAsync(
                "UPDATE \"Values\" SET \"DayAsDateTime\" = CASE \"Id\" WHEN 1 THEN DATE '9999-12-31' ELSE DATE 'infinity' END, " +
                "\"DaysAsDateTimes\" = CASE \"Id\" WHEN 1 THEN ARRAY[DATE '9999-12-31'] ELSE ARRAY[DATE 'infinity'] END");
        }

        List<string> truth;
        await using (var context = Uncached())
        {
            truth = Describe(await context.Values.AsNoTracking().OrderBy(v => v.Id).ToListAsync());
        }

        Assert.Contains($"|{DateTime.MaxValue.Ticks}Unspecified|", truth[1], StringComparison.Ordinal);
        Assert.Contains($"|{new DateTime(9999, 12, 31).Ticks}Unspecified|", truth[0], StringComparison.Ordinal);
        Assert.Contains($"|List`1:{DateTime.MaxValue.Ticks}Unspecified|", truth[1], StringComparison.Ordinal);
        var prefix = Redis.NewKeyPrefix();
        await using (var context = Cached(prefix, 0))
        {
            await context.Values.ToListAsync(); // the context tracks the rows: the miss records their cells with GetValue
            Assert.Equal(truth, Describe(await context.Values.OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }

        for (var read = 0; read < 2; read++)
        {
            await using var context = Cached(prefix, 0);
            Assert.Equal(truth, Describe(await context.Values.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }
    }

    [Fact]
    public async Task Values_outside_the_codec_recorded_with_GetValue_by_a_context_that_tracked_the_rows_never_fail_a_hit()
    {
        await SeedAsync();
        static List<string> DescribeBig(List<PgBigValue> values) => values
            .Select(v => $"{v.Id}|{v.Big.ToString(CultureInfo.InvariantCulture)}|{v.Document?.RootElement.GetRawText() ?? "-"}")
            .ToList();

        List<string> truth;
        await using (var context = Uncached())
        {
            truth = DescribeBig(await context.BigValues.AsNoTracking().OrderBy(v => v.Id).ToListAsync());
        }

        var prefix = Redis.NewKeyPrefix();
        await using (var context = Cached(prefix, 0))
        {
            await context.BigValues.ToListAsync(); // the context tracks the rows: the miss records their cells with GetValue
            Assert.Equal(truth, DescribeBig(await context.BigValues.OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }

        for (var read = 0; read < 2; read++)
        {
            await using var context = Cached(prefix, 0);
            Assert.Equal(truth, DescribeBig(await context.BigValues.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync()));
        }
    }

    [Fact]
    public async Task A_result_or_parameter_the_cache_cannot_record_is_declined_said_and_counted_never_served_wrong()
    {
        await SeedAsync();
        using var storeSkips = new MetricCollector<long>(null, RedisCacheAsideDiagnostics.MeterName, "efrc.cache.store_skips");
        var prefix = Redis.NewKeyPrefix();
        List<string> truth;
        await using (var context = Uncached())
        {
            truth = await DescribeNetworkAsync(context, cacheable: false);
        }

        for (var read = 1; read <= 3; read++)
        {
            await using var context = Cached(prefix, -1);
            Assert.Equal(truth, await DescribeNetworkAsync(context, cacheable: true));
            Assert.Equal(read * 6, Counter.Queries); // never a hit
        }

        Assert.True(storeSkips.GetMeasurementSnapshot().Sum(m => m.Value) >= 18);
        Assert.Contains(LogRecords(), r => r.Id.Name == "EntryNotStored");

        var address = IPAddress.Parse("10.0.0.1");
        async Task<List<string>> NamesAsync()
        {
            await using var context = Cached(prefix, -1);
            return await context.NetworkValues.Where(v => v.Address == address).Select(v => v.Name).Cacheable().ToListAsync();
        }

        Counter.Reset();
        Assert.Equal(["first"], await NamesAsync());
        Assert.Equal(["first"], await NamesAsync());
        Assert.Equal(2, Counter.Queries); // not cached
        Assert.Contains(LogRecords(), r => r.Id.Name == "QueryNotCacheable");
        await using (var writer = Cached(prefix, -1))
        {
            (await writer.NetworkValues.SingleAsync(v => v.Id == 1)).Name = "renamed";
            await writer.SaveChangesAsync();
        }

        Assert.Equal(["renamed"], await NamesAsync());
    }

    [Fact]
    public async Task Values_outside_the_codec_read_by_a_context_that_tracked_the_rows_are_read_from_the_database_and_right()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.NetworkValues.OrderBy(v => v.Id), cacheable, DescribeNetwork),
            context => context.NetworkValues.LoadAsync(),
            trackedMissIsStored: false);
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.RareValues.OrderBy(v => v.Id), cacheable, v => string.Join(
                "|",
                v.Id,
                v.Seats,
                v.Period.ToString(),
                string.Join(",", v.Gaps.Select(g => g.ToString())),
                v.Words?.ToString() ?? "-",
                string.Join(",", v.Blobs.Select(b => b is null ? "null" : Convert.ToHexString(b))))),
            context => context.RareValues.LoadAsync(),
            trackedMissIsStored: false);
    }

    private static string DescribeNetwork(PgNetworkValue v) => string.Join(
        "|",
        v.Id,
        v.Address?.ToString() ?? "-",
        v.Mac?.ToString() ?? "-",
        v.Network?.ToString() ?? "-",
        v.Bits is null ? "-" : string.Concat(v.Bits.Cast<bool>().Select(b => b ? '1' : '0')),
        string.Join(",", v.Moods),
        string.Join(",", v.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")));

    private static async Task<List<string>> DescribeNetworkAsync(PgValueContext context, bool cacheable)
    {
        IQueryable<PgNetworkValue> All() => cacheable ? context.NetworkValues.AsNoTracking().OrderBy(v => v.Id).Cacheable() : context.NetworkValues.AsNoTracking().OrderBy(v => v.Id);
        var rows = (await All().ToListAsync()).Select(DescribeNetwork).ToList();
        rows.AddRange((await All().Select(v => v.Address).ToListAsync()).Select(a => a?.ToString() ?? "-"));
        rows.AddRange((await All().Select(v => v.Mac).ToListAsync()).Select(a => a?.ToString() ?? "-"));
        rows.AddRange((await All().Select(v => v.Network).ToListAsync()).Select(a => a?.ToString() ?? "-"));
        rows.AddRange((await All().Select(v => v.Moods).ToListAsync()).Select(m => string.Join(",", m)));
        rows.AddRange((await All().Select(v => v.Attributes).ToListAsync()).Select(a => a.Count.ToString(CultureInfo.InvariantCulture)));
        return rows;
    }



    private static async Task<List<string>> ProjectAsync(PgValueContext context, bool cacheable = false)
    {
        var query = context.Values.OrderBy(v => v.Id).Select(v => new
        {
            v.Id,
            v.Stamps,
            v.Tags,
            v.JsonbText,
            v.NativeMood,
            v.StringMood,
            v.UtcAt,
            v.LocalAt,
            v.OffsetAt,
            v.MaybeOffsetAt,
            v.Day,
            v.Time,
            v.Span,
            v.Wide,
            v.Scaled,
            v.Caseless,
            PlaceCity = v.Place.City,
            PlaceVisited = v.Place.VisitedAt,
            OwnedLatitude = v.OwnedPlace == null ? (decimal?)null : v.OwnedPlace.Latitude,
        });
        var rows = await (cacheable ? query.Cacheable() : query).ToListAsync();
        var ordered = context.Values.AsNoTracking().OrderBy(v => v.Id);
        var pieces = await (cacheable ? ordered.Cacheable() : ordered).Select(v => new
        {
            v.Place,
            v.Place.Notes,
            v.OwnedPlace,
            FirstInt = v.Ints.Length > 0 ? v.Ints[0] : (int?)null,
            TagCount = v.Tags.Count,
            Upper = v.Caseless.ToUpperInvariant(),
            Hour = v.UtcAt.Hour,
            LocalDay = v.LocalAt.Date,
            SpanDays = v.Span.Days,
            MaybeAmount = v.Amounts.Count > 1 ? v.Amounts[1] : (decimal?)null,
            Json = v.JsonText,
        }).ToListAsync();
        var extra = pieces.Select(p => string.Join(
            "|",
            Place(p.Place),
            p.Notes.GetType().Name + ":" + string.Join("¦", p.Notes),
            p.OwnedPlace is null ? "-" : Place(p.OwnedPlace),
            p.FirstInt?.ToString(CultureInfo.InvariantCulture) ?? "-",
            p.TagCount,
            p.Upper,
            p.Hour,
            Stamp(p.LocalDay),
            p.SpanDays,
            p.MaybeAmount is { } a ? Number(a) : "-",
            p.Json ?? "-"));
        return rows.Select(r => string.Join(
                "|",
                r.Id,
                Stamps(r.Stamps),
                string.Join("¦", r.Tags),
                r.JsonbText,
                r.NativeMood,
                r.StringMood?.ToString() ?? "-",
                Stamp(r.UtcAt),
                Stamp(r.LocalAt),
                Offset(r.OffsetAt),
                r.MaybeOffsetAt is { } o ? Offset(o) : "-",
                r.Day.DayNumber,
                r.Time.Ticks,
                r.Span.Ticks,
                Number(r.Wide),
                Number(r.Scaled),
                r.Caseless,
                r.PlaceCity,
                Stamp(r.PlaceVisited),
                r.OwnedLatitude is { } l ? Number(l) : "-"))
            .Concat(extra)
            .ToList();
    }

    private static List<string> Describe(List<PgValue> values) => values
        .Select(v => string.Join(
            "|",
            v.Id,
            string.Join(",", v.Ints),
            string.Join("¦", v.Strings),
            v.Tags.GetType().Name + ":" + string.Join("¦", v.Tags),
            v.MaybeInts is null ? "-" : string.Join(",", v.MaybeInts.Select(i => i?.ToString(CultureInfo.InvariantCulture) ?? "null")),
            Stamps(v.Stamps),
            string.Join(",", v.Amounts.Select(Number)),
            v.JsonbText,
            v.JsonText ?? "-",
            v.NativeMood,
            v.MaybeNativeMood?.ToString() ?? "-",
            v.IntMood,
            v.StringMood?.ToString() ?? "-",
            Stamp(v.UtcAt),
            v.MaybeUtcAt is { } mu ? Stamp(mu) : "-",
            Stamp(v.LocalAt),
            v.MaybeLocalAt is { } ml ? Stamp(ml) : "-",
            Offset(v.OffsetAt),
            v.MaybeOffsetAt is { } mo ? Offset(mo) : "-",
            v.Span.Ticks,
            v.MaybeSpan?.Ticks.ToString(CultureInfo.InvariantCulture) ?? "-",
            v.Day.DayNumber,
            v.MaybeDay?.DayNumber.ToString(CultureInfo.InvariantCulture) ?? "-",
            v.Time.Ticks,
            v.MaybeTime?.Ticks.ToString(CultureInfo.InvariantCulture) ?? "-",
            Stamp(v.DayAsDateTime),
            v.MaybeDayAsDateTime is { } md ? Stamp(md) : "-",
            v.TimeAsSpan.Ticks,
            v.DaysAsDateTimes.GetType().Name + ":" + string.Join(",", v.DaysAsDateTimes.Select(Stamp)),
            string.Join(",", v.TimesAsSpans.Select(t => t.Ticks)),
            Offset(v.ZonedTime),
            Number(v.Wide),
            v.MaybeWide is { } mw ? Number(mw) : "-",
            Number(v.Scaled),
            v.Uuid,
            v.MaybeUuid?.ToString() ?? "-",
            Convert.ToHexString(v.Bytes),
            v.MaybeBytes is null ? "-" : Convert.ToHexString(v.MaybeBytes),
            v.Caseless,
            Place(v.Place),
            v.OwnedPlace is null ? "-" : Place(v.OwnedPlace)))
        .ToList();

    private static string Place(PgPlace place)
        => $"{place.City}/{Number(place.Latitude)}/{Stamp(place.VisitedAt)}/{place.Notes.GetType().Name}:{string.Join("¦", place.Notes)}";

    private static string Stamps(DateTime[] stamps) => string.Join(",", stamps.Select(Stamp));

    private static string Stamp(DateTime at) => $"{at.Ticks}{at.Kind}";

    private static string Offset(DateTimeOffset at) => $"{at.Ticks}{at.Offset}";

    private async Task SeedAsync()
    {
        await using var context = Uncached();
        await context.Database.EnsureCreatedAsync();
        context.Values.AddRange(
            new PgValue
            {
                Id = 1,
                Ints = [int.MinValue, 0, int.MaxValue],
                Strings = ["", "a,b", "\"q\"", "ünï", "NULL"],
                Tags = ["x", ""],
                MaybeInts = [1, -1],
                Stamps = [new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1230), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)],
                Amounts = [1.50m, -0.0000000001m, 79228162514264337593543950335m],
                JsonbText = """{"b": 1, "a": [1.50, "x"], "n": null}""",
                JsonText = """{ "b" : 1,  "a" : 2 }""",
                NativeMood = PgMood.Grumpy,
                MaybeNativeMood = PgMood.Cheerful,
                IntMood = PgMood.Cheerful,
                StringMood = PgMood.Grumpy,
                UtcAt = new DateTime(2031, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990),
                MaybeUtcAt = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                LocalAt = new DateTime(2024, 3, 31, 2, 30, 0, DateTimeKind.Unspecified).AddTicks(10),
                MaybeLocalAt = DateTime.MaxValue.AddTicks(-9),
                OffsetAt = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(70),
                MaybeOffsetAt = new DateTimeOffset(1999, 12, 31, 23, 0, 0, TimeSpan.Zero),
                Span = TimeSpan.FromDays(-40).Add(TimeSpan.FromTicks(-10)),
                MaybeSpan = TimeSpan.Zero,
                Day = DateOnly.MinValue,
                MaybeDay = new DateOnly(2024, 2, 29),
                Time = new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)),
                MaybeTime = TimeOnly.MinValue,
                DayAsDateTime = new DateTime(2024, 2, 29),
                MaybeDayAsDateTime = new DateTime(1, 1, 1),
                TimeAsSpan = new TimeSpan(0, 23, 59, 59, 999).Add(TimeSpan.FromTicks(9990)),
                DaysAsDateTimes = [new DateTime(2024, 2, 29), new DateTime(1, 1, 1)],
                TimesAsSpans = [TimeSpan.Zero, new TimeSpan(13, 14, 15)],
                ZonedTime = new DateTimeOffset(1, 1, 2, 13, 14, 15, TimeSpan.FromHours(-7)),
                Wide = 79228162514264337593543950335m,
                MaybeWide = 0.0000000000000000000000000001m,
                Scaled = 1.5m,
                Uuid = Guid.Parse("ffffffff-0000-4000-8000-00000000000a"),
                MaybeUuid = Guid.Empty,
                Bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
                MaybeBytes = [],
                Caseless = "MiXeD",
                Place = new PgPlace { City = "Zürich", Latitude = 47.3769000m, VisitedAt = new DateTime(2020, 5, 1, 8, 0, 0, DateTimeKind.Utc), Notes = ["a", ""] },
                OwnedPlace = new PgPlace { City = "Oslo", Latitude = -0.10m, VisitedAt = new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc), Notes = [] },
            },
            new PgValue
            {
                Id = 2,
                Wide = -79228162514264337593543950335m,
                Scaled = 0.0000000001m,
                UtcAt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                LocalAt = new DateTime(2000, 1, 1),
                OffsetAt = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Day = DateOnly.MaxValue,
                Time = TimeOnly.MinValue,
                Span = TimeSpan.FromDays(3650),
                DayAsDateTime = new DateTime(1999, 12, 31),
                TimeAsSpan = new TimeSpan(12, 0, 0),
                Place = new PgPlace { City = "", VisitedAt = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) },
            });
        context.NetworkValues.AddRange(
            new PgNetworkValue
            {
                Id = 1, Name = "first", Address = IPAddress.Parse("10.0.0.1"), Mac = PhysicalAddress.Parse("08-00-2B-01-02-03"),
                Network = IPNetwork.Parse("192.168.0.0/16"), Bits = new BitArray([true, false, true]), Moods = [PgMood.Grumpy, PgMood.Calm],
                Attributes = new() { ["a"] = "1", ["b"] = "" },
            },
            new PgNetworkValue { Id = 2, Name = "second", Address = IPAddress.IPv6Loopback });
        context.RareValues.AddRange(
            new PgRareValue
            {
                Id = 1,
                Seats = new NpgsqlTypes.NpgsqlRange<int>(1, true, 5, false),
                Period = new NpgsqlTypes.NpgsqlRange<DateTime>(new DateTime(2024, 1, 1), new DateTime(2024, 2, 1)),
                Gaps = [new(1, true, 3, false), new(7, true, 9, false)],
                Blobs = [[1, 2], []],
            },
            new PgRareValue { Id = 2, Seats = NpgsqlTypes.NpgsqlRange<int>.Empty, Period = NpgsqlTypes.NpgsqlRange<DateTime>.Empty });
        context.BigValues.AddRange(
            new PgBigValue { Id = 1, Big = BigInteger.Parse("12345678901234567890123", CultureInfo.InvariantCulture), Document = System.Text.Json.JsonDocument.Parse("{\"a\": [1, 2]}") },
            new PgBigValue { Id = 2, Big = -1 });
        await context.SaveChangesAsync();
        await context.Database.ExecuteSqlRawAsync("UPDATE \"RareValues\" SET \"Words\" = to_tsvector('simple', 'a fat cat') WHERE \"Id\" = 1");
    }
}
