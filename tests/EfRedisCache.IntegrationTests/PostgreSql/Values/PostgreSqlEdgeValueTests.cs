using System.Collections;
using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// Invariant 1 at the edges of PostgreSQL's values (<see cref="PgEdgeValue"/>, <see cref="PgOddValue"/>, a TPH
/// hierarchy read by a split query): uncached, a miss, a hit, a tracking hit, and a miss recorded by a context that
/// already tracked the rows (its cells recorded with <c>GetValue</c>) give the same values — or the same exception
/// where Npgsql cannot hand the CLR type the value, never another value.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlEdgeValueTests(RedisServerFixture redis, PostgresFixture postgres) : PgValueTestBase(redis, postgres)
{
    [Fact]
    public async Task Edge_values_read_the_same_from_a_miss_a_hit_and_a_miss_recorded_with_GetValue()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.EdgeValues.OrderBy(v => v.Id), cacheable, DescribeEdge),
            context => context.EdgeValues.ToListAsync());
    }

    [Fact]
    public async Task Values_the_clr_type_cannot_hold_throw_from_a_hit_as_from_theDatabase()
    {
        await SeedAsync();
        for (var id = 1; id <= 6; id++)
        {
            var one = id;
            await AssertSameEverywhereAsync(
                (context, cacheable) => Read(context.OddValues.Where(v => v.Id == one), cacheable, v => $"{v.Id}|{Number(v.Numeric)}|{v.NumericAsDouble.ToString("R", CultureInfo.InvariantCulture)}|{v.Interval.Ticks}"),
                context =>
                {
                    context.OddValues.Attach(new PgOddValue { Id = one });
                    return Task.CompletedTask;
                },
                trackedMissIsStored: one == 1);
        }
    }

    [Fact]
    public async Task A_split_query_over_a_tph_hierarchy_reads_the_same_from_a_miss_recorded_with_GetValue()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.Keepers.Include(k => k.Animals.OrderBy(a => a.Id)).AsSplitQuery().OrderBy(k => k.Id), cacheable, DescribeKeeper),
            async context =>
            {
                await context.Keepers.ToListAsync();
                await context.Animals.ToListAsync();
            });
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.Animals.OrderBy(a => a.Id), cacheable, DescribeAnimal),
            context => context.Animals.ToListAsync());
    }

    [Fact]
    public async Task A_bit_1_read_as_a_bit_array_reads_the_same_from_a_miss_recorded_with_GetValue()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.BitValues.OrderBy(v => v.Id), cacheable, v => $"{v.Id}|{v.Bit.Length}:{string.Concat(v.Bit.Cast<bool>().Select(b => b ? '1' : '0'))}"),
            context => context.BitValues.ToListAsync());
    }

    [Fact]
    public async Task Numbers_over_a_column_of_another_numeric_type_read_the_same_from_a_miss_recorded_with_GetValue()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.CrossValues.OrderBy(v => v.Id), cacheable, v => string.Join(
                "|",
                v.Id,
                v.LongOverNumeric,
                v.IntOverNumeric,
                BitConverter.SingleToInt32Bits(v.SingleOverNumeric).ToString("x", CultureInfo.InvariantCulture),
                Number(v.DecimalOverDouble),
                Number(v.DecimalOverReal),
                v.Counter,
                (int)v.Letter)),
            context => context.CrossValues.ToListAsync());
    }

    [Fact]
    public async Task A_mapped_postgresql_enum_read_as_its_label_reads_the_same_from_a_miss_recorded_with_GetValue()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.MoodLabels.OrderBy(v => v.Id), cacheable, v => $"{v.Id}|{v.Mood}|{v.MaybeMood ?? "-"}"),
            context => context.MoodLabels.LoadAsync());
    }

    private static string DescribeEdge(PgEdgeValue v) => string.Join(
        "|",
        v.Id,
        BitConverter.SingleToInt32Bits(v.Real).ToString("x", CultureInfo.InvariantCulture),
        BitConverter.DoubleToInt64Bits(v.DoublePrecision).ToString("x", CultureInfo.InvariantCulture),
        BitConverter.DoubleToInt64Bits(v.NumericAsDouble).ToString("x", CultureInfo.InvariantCulture),
        $"{v.Stamp.Ticks}{v.Stamp.Kind}",
        $"{v.StampTz.Ticks}{v.StampTz.Offset}",
        $"{v.StampTzAsDateTime.Ticks}{v.StampTzAsDateTime.Kind}",
        "[" + v.Fixed + "]",
        v.Xid,
        v.Oid,
        Number(v.Money),
        v.Shorts.GetType().Name + ":" + string.Join(",", v.Shorts));

    private static string DescribeKeeper(PgKeeper k) => $"{k.Id}|{k.Name}|" + string.Join(";", k.Animals.Select(DescribeAnimal));

    private static string DescribeAnimal(PgAnimal a) => a switch
    {
        PgDog d => $"dog {d.Id}|{d.KeeperId}|{d.Name}|{d.Legs}|{d.BornOn.Ticks}{d.BornOn.Kind}",
        PgFish f => $"fish {f.Id}|{f.KeeperId}|{f.Name}|{f.Depth.ToString("R", CultureInfo.InvariantCulture)}|{f.Swim.Ticks}",
        _ => "?",
    };

    private async Task SeedAsync()
    {
        await using var context = Uncached();
        await context.Database.EnsureCreatedAsync();
        context.EdgeValues.AddRange(
            new PgEdgeValue { Id = 1, Real = float.NaN, DoublePrecision = -0.0, NumericAsDouble = 0.1, Stamp = DateTime.MaxValue, StampTz = DateTimeOffset.MaxValue, StampTzAsDateTime = DateTime.MaxValue, Fixed = "ab", Xid = uint.MaxValue, Oid = 4_000_000_000, Money = -92233720368547758.08m, Shorts = [short.MinValue, 0, short.MaxValue] },
            new PgEdgeValue { Id = 2, Real = float.NegativeInfinity, DoublePrecision = double.PositiveInfinity, NumericAsDouble = 1.0 / 3, Stamp = DateTime.MinValue, StampTz = DateTimeOffset.MinValue, StampTzAsDateTime = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), Fixed = "abcde", Xid = 0, Oid = 0, Money = 0.01m, Shorts = [] },
            new PgEdgeValue { Id = 3, Real = -0.0f, DoublePrecision = double.NaN, NumericAsDouble = 123456789012345678, Stamp = new DateTime(2024, 1, 1), StampTz = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), StampTzAsDateTime = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), Fixed = "", Money = 92233720368547758.07m, Shorts = [1] });
        context.OddValues.AddRange(
            new PgOddValue { Id = 1, Numeric = 1.5m, Interval = TimeSpan.FromDays(1) },
            new PgOddValue { Id = 2 },
            new PgOddValue { Id = 3 },
            new PgOddValue { Id = 4 },
            new PgOddValue { Id = 5 },
            new PgOddValue { Id = 6 });
        context.CrossValues.AddRange(
            new PgCrossValue { Id = 1, LongOverNumeric = long.MaxValue, IntOverNumeric = int.MinValue, SingleOverNumeric = 0.1f, DecimalOverDouble = 1m, DecimalOverReal = 1m, Counter = ulong.MaxValue, Letter = ' ' },
            new PgCrossValue { Id = 2, SingleOverNumeric = 16777217f, DecimalOverDouble = 0.00001m, DecimalOverReal = 0.1m, Letter = 'ü' },
            new PgCrossValue { Id = 3, SingleOverNumeric = 12345.678f, DecimalOverDouble = 123456789012345.678m, DecimalOverReal = 1e20m, Letter = 'a' });
        context.BitValues.AddRange(new PgBitValue { Id = 1, Bit = new BitArray([true]) }, new PgBitValue { Id = 2, Bit = new BitArray([false]) });
        context.Keepers.AddRange(
            new PgKeeper { Id = 1, Name = "k1", Animals = [new PgDog { Id = 1, Name = "rex", Legs = 4, BornOn = new DateTime(2020, 2, 29) }, new PgFish { Id = 2, Name = "nemo", Depth = -0.0, Swim = new TimeSpan(1, 2, 3) }] },
            new PgKeeper { Id = 2, Name = "k2", Animals = [new PgFish { Id = 3, Name = "dory", Depth = double.NaN }, new PgDog { Id = 4, Name = "fido", BornOn = DateTime.MinValue }] },
            new PgKeeper { Id = 3, Name = "k3" });
        await context.SaveChangesAsync();
        await context.Database.ExecuteSqlRawAsync(
            "UPDATE \"EdgeValues\" SET \"Stamp\" = CASE \"Id\" WHEN 1 THEN 'infinity'::timestamp WHEN 2 THEN '-infinity'::timestamp ELSE \"Stamp\" END, " +
            "\"StampTz\" = CASE \"Id\" WHEN 1 THEN 'infinity'::timestamptz WHEN 2 THEN '-infinity'::timestamptz ELSE \"StampTz\" END, " +
            "\"StampTzAsDateTime\" = CASE \"Id\" WHEN 1 THEN 'infinity'::timestamptz WHEN 2 THEN '-infinity'::timestamptz ELSE \"StampTzAsDateTime\" END");
        await context.Database.ExecuteSqlRawAsync(
            "UPDATE \"CrossValues\" SET \"LongOverNumeric\" = 2.5, \"IntOverNumeric\" = -2.5, \"SingleOverNumeric\" = 0.3333333333333333333333 WHERE \"Id\" = 2");
        await context.Database.ExecuteSqlRawAsync("UPDATE \"CrossValues\" SET \"IntOverNumeric\" = 3.5, \"LongOverNumeric\" = -3.99 WHERE \"Id\" = 3");
        await context.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"MoodLabels\" (\"Id\", \"Mood\", \"MaybeMood\") VALUES (1, 'grumpy', 'cheerful'), (2, 'calm', NULL)");
        await context.Database.ExecuteSqlRawAsync(
            "UPDATE \"OddValues\" SET \"Numeric\" = CASE \"Id\" WHEN 2 THEN 'NaN'::numeric WHEN 3 THEN '-Infinity'::numeric ELSE \"Numeric\" END, " +
            "\"NumericAsDouble\" = CASE \"Id\" WHEN 5 THEN 'NaN'::numeric WHEN 6 THEN 'Infinity'::numeric ELSE \"NumericAsDouble\" END, " +
            "\"Interval\" = CASE \"Id\" WHEN 4 THEN interval '1 month 2 days' ELSE \"Interval\" END");
    }
}
