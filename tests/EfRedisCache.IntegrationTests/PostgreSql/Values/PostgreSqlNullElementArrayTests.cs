using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// PostgreSQL arrays with NULL elements (<see cref="PgNullElementValue"/>) recorded by a miss whose context already
/// tracked the rows, so the cache fills their cells itself: Npgsql's <c>GetValue</c> refuses an array of value types
/// that holds a NULL, and such a result used to be left uncached. It is cached now, and every later read is a hit
/// that gives the database's values — or its exception, for a NULL under a collection of non-nullable elements —
/// except where a value cannot be told apart (an infinite date), which is read from the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlNullElementArrayTests(RedisServerFixture redis, PostgresFixture postgres) : PgValueTestBase(redis, postgres)
{
    [Fact]
    public async Task Arrays_with_null_elements_recorded_by_a_context_that_tracked_the_rows_are_cached_and_read_back_exactly()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.NullElementValues.Where(v => v.Id <= 3).OrderBy(v => v.Id), cacheable, Describe),
            context => context.NullElementValues.Where(v => v.Id <= 3).LoadAsync());
    }

    [Fact]
    public async Task A_null_element_under_a_collection_of_non_nullable_elements_throws_from_a_hit_as_from_the_database()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.NullElementValues.Where(v => v.Id == 4), cacheable, Describe),
            context =>
            {
                // Loading the row throws, as reading it does: the context tracks it by its key alone.
                context.NullElementValues.Attach(new PgNullElementValue { Id = 4 });
                return Task.CompletedTask;
            });
    }

    [Fact]
    public async Task A_two_dimensional_array_with_a_null_element_is_read_from_the_database_every_time()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.NullElementValues.Where(v => v.Id == 7), cacheable, Describe),
            context =>
            {
                context.NullElementValues.Attach(new PgNullElementValue { Id = 7 });
                return Task.CompletedTask;
            },
            trackedMissIsStored: false);
    }

    [Fact]
    public async Task An_infinite_date_beside_a_null_element_is_never_read_from_a_hit_as_the_last_day_of_9999()
    {
        await SeedAsync();
        await AssertSameEverywhereAsync(
            (context, cacheable) => Read(context.NullElementValues.Where(v => v.Id == 5 || v.Id == 6).OrderBy(v => v.Id), cacheable, Describe),
            context => context.NullElementValues.Where(v => v.Id == 5 || v.Id == 6).LoadAsync(),
            trackedMissIsStored: false);
    }

    [Fact]
    public async Task Each_element_type_the_cache_reads_with_nulls_is_the_one_npgsql_reads_without()
    {
        await SeedAsync();

        // One column per element type the cache names, holding a value of it: the literal casts it to the type.
        var literals = new Dictionary<string, string>
        {
            ["boolean"] = "true", ["smallint"] = "1", ["integer"] = "1", ["bigint"] = "1", ["real"] = "1.5", ["double precision"] = "1.5",
            ["numeric"] = "1.5", ["money"] = "1.5", ["uuid"] = "'ffffffff-0000-4000-8000-00000000000a'", ["date"] = "'2024-01-01'",
            ["time without time zone"] = "'01:02:03'", ["timestamp without time zone"] = "'2024-01-01 01:02:03'",
            ["timestamp with time zone"] = "'2024-01-01Z'", ["time with time zone"] = "'01:02:03+01'", ["interval"] = "'1 day'",
            ["oid"] = "5", ["xid"] = "'5'", ["cid"] = "'5'", ["xid8"] = "'5'", ["char"] = "'z'",
        };
        Assert.Equal(literals.Keys.Order(StringComparer.Ordinal), NpgsqlNullElementArrays.ReadersByElementType.Keys.Order(StringComparer.Ordinal));
        var types = literals.Keys.Select(t => t == "char" ? "\"char\"" : t).ToList();
        var columns = string.Join(", ", types.Select((t, i) => $"ARRAY[{literals.Values.ElementAt(i)}::{t}] AS c{i}"));
        var withNulls = string.Join(", ", types.Select((t, i) => $"ARRAY[NULL, {literals.Values.ElementAt(i)}::{t}] AS c{i}"));
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT {columns} UNION ALL SELECT {withNulls}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var elementTypes = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).GetType().GetElementType()).ToList();
        Assert.All(Enumerable.Range(0, reader.FieldCount), i => Assert.False(NpgsqlNullElementArrays.TryRead(reader, i, out _)));
        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.Throws<InvalidCastException>(() => reader.GetValue(i));
            Assert.True(NpgsqlNullElementArrays.TryRead(reader, i, out var value), types[i]);
            Assert.Equal(elementTypes[i], Nullable.GetUnderlyingType(value!.GetType().GetElementType()!));
        }
    }

    [Theory]
    [InlineData("integer[]", "integer")]
    [InlineData("numeric(10, 2)[]", "numeric")]
    [InlineData("timestamp(3) with time zone[]", "timestamp with time zone")]
    [InlineData("integer", null)]
    [InlineData("public.pg_mood[]", "public.pg_mood")]
    public void An_array_type_name_gives_its_element_type_without_modifiers(string dataTypeName, string? element)
        => Assert.Equal(element, NpgsqlNullElementArrays.ElementTypeName(dataTypeName));

    private static string Describe(PgNullElementValue v) => string.Join(
        "|",
        v.Id,
        Items(v.Ints, i => i.ToString(CultureInfo.InvariantCulture)),
        Items(v.Longs, i => i.ToString(CultureInfo.InvariantCulture)),
        Items(v.Shorts, i => i.ToString(CultureInfo.InvariantCulture)),
        Items(v.Strings, s => "'" + s + "'"),
        Items(v.Flags, b => b ? "t" : "f"),
        Items(v.Doubles, d => BitConverter.DoubleToInt64Bits(d).ToString("x", CultureInfo.InvariantCulture)),
        Items(v.Singles, f => BitConverter.SingleToInt32Bits(f).ToString("x", CultureInfo.InvariantCulture)),
        Items(v.Amounts, Number),
        Items(v.Uuids, g => g.ToString()),
        Items(v.Days, d => d.DayNumber.ToString(CultureInfo.InvariantCulture)),
        Items(v.Times, t => t.Ticks.ToString(CultureInfo.InvariantCulture)),
        Items(v.TimesAsSpans, t => t.Ticks.ToString(CultureInfo.InvariantCulture)),
        Items(v.UtcStamps, Stamp),
        Items(v.LocalStamps, Stamp),
        Items(v.Moments, m => $"{m.Ticks}{m.Offset}"),
        Items(v.Spans, t => t.Ticks.ToString(CultureInfo.InvariantCulture)),
        Items(v.DaysAsDateTimes, Stamp),
        Items(v.Counts, i => i.ToString(CultureInfo.InvariantCulture)));

    private static string Stamp(DateTime at) => $"{at.Ticks}{at.Kind}";

    private static string Items<T>(IEnumerable<T?> items, Func<T, string> describe)
        where T : struct
        => items.GetType().Name + ":" + string.Join(",", items.Select(i => i is { } value ? describe(value) : "null"));

    private static string Items<T>(IEnumerable<T> items, Func<T, string> describe)
        where T : struct
        => items.GetType().Name + ":" + string.Join(",", items.Select(describe));

    private static string Items(IEnumerable<string?> items, Func<string?, string> describe)
        => items.GetType().Name + ":" + string.Join(",", items.Select(s => s is null ? "null" : describe(s)));

    private async Task SeedAsync()
    {
        await using var context = Uncached();
        await context.Database.EnsureCreatedAsync();
        var utc = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1230);
        context.NullElementValues.AddRange(
            new PgNullElementValue
            {
                Id = 1,
                Ints = [int.MinValue, null, int.MaxValue],
                Longs = [null, long.MaxValue],
                Shorts = [short.MinValue, null],
                Strings = ["", null, "NULL"],
                Flags = [true, null, false],
                Doubles = [double.NaN, null, -0.0],
                Singles = [null, float.NegativeInfinity],
                Amounts = [1.50m, null, -0.0000000001m],
                Uuids = [Guid.Parse("ffffffff-0000-4000-8000-00000000000a"), null],
                Days = [DateOnly.MinValue, null, new DateOnly(2024, 2, 29)],
                Times = [null, new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990))],
                TimesAsSpans = [new TimeSpan(13, 14, 15), null],
                UtcStamps = [utc, null],
                LocalStamps = [null, new DateTime(2024, 3, 31, 2, 30, 0).AddTicks(10)],
                Moments = [new DateTimeOffset(utc), null],
                Spans = [TimeSpan.FromDays(-40).Add(TimeSpan.FromTicks(-10)), null],
                DaysAsDateTimes = [new DateTime(2024, 2, 29), null],
                Counts = [1, 2],
            },
            new PgNullElementValue
            {
                Id = 2,
                Ints = [null],
                Longs = [null, null],
                Shorts = [null],
                Strings = [null],
                Flags = [null],
                Doubles = [null],
                Singles = [null],
                Amounts = [null],
                Uuids = [null],
                Days = [null],
                Times = [null],
                TimesAsSpans = [null],
                UtcStamps = [null],
                LocalStamps = [null],
                Moments = [null],
                Spans = [null],
                DaysAsDateTimes = [null],
            },
            new PgNullElementValue { Id = 3, Ints = [1], Days = [new DateOnly(2000, 1, 1)], Strings = ["x"], Counts = [3] },
            new PgNullElementValue { Id = 4, Ints = [4, null] },
            new PgNullElementValue { Id = 5, Ints = [null] },
            new PgNullElementValue { Id = 6, Ints = [null] },
            new PgNullElementValue { Id = 7 });
        await context.SaveChangesAsync();

        // A NULL where the model says there is none, and dates Npgsql's GetValue reads alike as DateOnly.MaxValue.
        await context.Database.ExecuteSqlRawAsync("UPDATE \"NullElementValues\" SET \"Counts\" = ARRAY[1, NULL] WHERE \"Id\" = 4");
        await context.Database.ExecuteSqlRawAsync("UPDATE \"NullElementValues\" SET \"Ints\" = ARRAY[[1, NULL], [3, 4]] WHERE \"Id\" = 7");
        await context.Database.ExecuteSqlRawAsync(
            "UPDATE \"NullElementValues\" SET " +
            "\"Days\" = CASE \"Id\" WHEN 5 THEN ARRAY[DATE 'infinity', NULL] ELSE ARRAY[DATE '9999-12-31', NULL] END, " +
            "\"DaysAsDateTimes\" = CASE \"Id\" WHEN 5 THEN ARRAY[DATE 'infinity', NULL] ELSE ARRAY[DATE '9999-12-31', NULL] END WHERE \"Id\" >= 5");
    }
}
