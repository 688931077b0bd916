using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

/// <summary>
/// Entries whose checksum is right but whose body is wrong (a bug, another writer, someone with access to Redis): real
/// results of several shapes, changed byte by byte or value by value, and the checksum written again. Decoding may
/// only fail with <see cref="CacheEntryFormatException"/> (the read path turns that, and only that, into a miss); what
/// decodes is replayed through every typed getter, which may only fail as a provider's reader fails on a value it
/// cannot convert: <see cref="InvalidCastException"/> (the <c>DbDataReader</c> contract, Npgsql, SqlClient), or the
/// <see cref="FormatException"/> and <see cref="OverflowException"/> Microsoft.Data.Sqlite throws for text it cannot
/// parse and integers out of range, which <see cref="ValueConverter"/> reproduces for transparency.
/// </summary>
public class MalformedEntryReplayUnitTests
{
    private static readonly CachedResult[] Shapes = BuildShapes();

    [Fact]
    public void Bytes_changed_behind_a_valid_checksum_fail_only_as_a_format_error_or_a_conversion_error()
    {
        var random = new Random(20261124);
        var decoded = 0;
        for (var i = 0; i < 2500; i++)
        {
            var payload = StorageTestData.Serialize(Shapes[i % Shapes.Length]);
            var damaged = CorruptionHelper.WithValidChecksum(ChangeBytes(payload, random));
            if (TryDeserialize(damaged, $"case {i}") is { } result)
            {
                decoded++;
                ReplayThroughGetters(result, random, $"case {i}");
            }
        }

        Assert.True(decoded > 100, $"only {decoded} damaged payloads decoded: the replay half is barely exercised");
    }

    [Fact]
    public void Values_of_another_type_behind_a_valid_checksum_fail_only_as_conversion_errors()
    {
        // A field changed and the checksum recomputed is exactly what serializing the changed result gives.
        var random = new Random(7_2026);
        for (var i = 0; i < 1000; i++)
        {
            var changed = ReplaceValues(Shapes[i % Shapes.Length], random);
            var result = TryDeserialize(StorageTestData.Serialize(changed), $"case {i}");
            Assert.NotNull(result);
            ReplayThroughGetters(result, random, $"case {i}");
        }
    }

    private static CachedResult? TryDeserialize(byte[] payload, string where)
    {
        try
        {
            return CachedResultSerializer.Deserialize(payload);
        }
        catch (CacheEntryFormatException)
        {
            return null;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{where}: decoding threw {ex.GetType().Name} ({ex.Message}), which the read path would not turn into a miss");
            return null;
        }
    }

    /// <summary>
    /// Reads every cell through <see cref="GettersPerCell"/> getters drawn from <see cref="Getters"/>: all of them
    /// on every cell cost 35 s (a failed conversion throws), and over the cases each cell's type meets each getter.
    /// </summary>
    private static void ReplayThroughGetters(CachedResult result, Random random, string where)
    {
        using var reader = new ReplayDataReader(result);
        var set = 0;
        do
        {
            for (var c = 0; c < reader.FieldCount; c++)
            {
                _ = reader.GetName(c);
                _ = reader.GetDataTypeName(c);
                _ = reader.GetFieldType(c);
            }

            while (reader.Read())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    for (var g = 0; g < GettersPerCell; g++)
                    {
                        var (name, read) = Getters[random.Next(Getters.Length)];
                        try
                        {
                            _ = read(reader, c);
                        }
                        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
                        {
                            // What a provider's reader throws for a value it cannot convert.
                        }
                        catch (Exception ex)
                        {
                            Assert.Fail($"{where}, set {set}, column {c}: {name} on a {reader.GetValue(c).GetType().Name} threw {ex.GetType().Name} ({ex.Message})");
                        }
                    }
                }
            }

            set++;
        }
        while (reader.NextResult());
    }

    private const int GettersPerCell = 6;

    private static readonly (string Name, Func<ReplayDataReader, int, object?> Read)[] Getters =
    [
        ("GetValue", (r, c) => r.GetValue(c)),
        ("IsDBNull", (r, c) => r.IsDBNull(c)),
        ("GetBoolean", (r, c) => r.GetBoolean(c)),
        ("GetByte", (r, c) => r.GetByte(c)),
        ("GetChar", (r, c) => r.GetChar(c)),
        ("GetDateTime", (r, c) => r.GetDateTime(c)),
        ("GetDecimal", (r, c) => r.GetDecimal(c)),
        ("GetDouble", (r, c) => r.GetDouble(c)),
        ("GetFloat", (r, c) => r.GetFloat(c)),
        ("GetGuid", (r, c) => r.GetGuid(c)),
        ("GetInt16", (r, c) => r.GetInt16(c)),
        ("GetInt32", (r, c) => r.GetInt32(c)),
        ("GetInt64", (r, c) => r.GetInt64(c)),
        ("GetString", (r, c) => r.GetString(c)),
        ("GetStream", (r, c) => r.GetStream(c)),
        ("GetTextReader", (r, c) => r.GetTextReader(c)),
        ("GetBytes", (r, c) => r.GetBytes(c, 0, new byte[8], 0, 8)),
        ("GetChars", (r, c) => r.GetChars(c, 0, new char[8], 0, 8)),
        ("GetFieldValue<object>", (r, c) => r.GetFieldValue<object>(c)),
        ("GetFieldValue<sbyte>", (r, c) => r.GetFieldValue<sbyte>(c)),
        ("GetFieldValue<ushort>", (r, c) => r.GetFieldValue<ushort>(c)),
        ("GetFieldValue<uint>", (r, c) => r.GetFieldValue<uint>(c)),
        ("GetFieldValue<ulong>", (r, c) => r.GetFieldValue<ulong>(c)),
        ("GetFieldValue<int?>", (r, c) => r.GetFieldValue<int?>(c)),
        ("GetFieldValue<decimal?>", (r, c) => r.GetFieldValue<decimal?>(c)),
        ("GetFieldValue<DateTimeOffset>", (r, c) => r.GetFieldValue<DateTimeOffset>(c)),
        ("GetFieldValue<DateOnly>", (r, c) => r.GetFieldValue<DateOnly>(c)),
        ("GetFieldValue<TimeOnly>", (r, c) => r.GetFieldValue<TimeOnly>(c)),
        ("GetFieldValue<TimeSpan>", (r, c) => r.GetFieldValue<TimeSpan>(c)),
        ("GetFieldValue<DayOfWeek>", (r, c) => r.GetFieldValue<DayOfWeek>(c)),
        ("GetFieldValue<DayOfWeek?>", (r, c) => r.GetFieldValue<DayOfWeek?>(c)),
        ("GetFieldValue<byte[]>", (r, c) => r.GetFieldValue<byte[]>(c)),
        ("GetFieldValue<char[]>", (r, c) => r.GetFieldValue<char[]>(c)),
        ("GetFieldValue<int[]>", (r, c) => r.GetFieldValue<int[]>(c)),
        ("GetFieldValue<List<int>>", (r, c) => r.GetFieldValue<List<int>>(c)),
        ("GetFieldValue<int?[]>", (r, c) => r.GetFieldValue<int?[]>(c)),
        ("GetFieldValue<List<string>>", (r, c) => r.GetFieldValue<List<string>>(c)),
        ("GetFieldValue<Stream>", (r, c) => r.GetFieldValue<Stream>(c)),
        ("GetFieldValueAsync<long>", (r, c) => r.GetFieldValueAsync<long>(c).GetAwaiter().GetResult()),
    ];

    /// <summary>One to three bytes changed, or one inserted or removed, anywhere before the checksum.</summary>
    private static byte[] ChangeBytes(byte[] payload, Random random)
    {
        var body = payload[..^4].ToList();
        switch (random.Next(4))
        {
            case 0:
                body.Insert(random.Next(5, body.Count + 1), (byte)random.Next(256));
                break;
            case 1:
                body.RemoveAt(random.Next(5, body.Count));
                break;
            default:
                for (int flips = random.Next(1, 4), f = 0; f < flips; f++)
                {
                    var at = random.Next(5, body.Count);
                    body[at] = random.Next(3) == 0 ? (byte)random.Next(0, 30) : (byte)(body[at] ^ random.Next(1, 256));
                }

                break;
        }

        return [.. body, 0, 0, 0, 0];
    }

    /// <summary>The same shape with one to four cells holding a value of another codec type (or NULL).</summary>
    private static CachedResult ReplaceValues(CachedResult source, Random random)
    {
        var sets = source.ResultSets.Select(s => new CachedResultSet(s.Columns, s.Rows.Select(r => (object?[])r.Clone()).ToList())).ToArray();
        var withRows = sets.Where(s => s.Rows.Count > 0 && s.Columns.Length > 0).ToArray();
        for (int changes = random.Next(1, 5), i = 0; i < changes; i++)
        {
            var set = withRows[random.Next(withRows.Length)];
            set.Rows[random.Next(set.Rows.Count)][random.Next(set.Columns.Length)] = AnyValues[random.Next(AnyValues.Length)];
        }

        return new CachedResult(sets, source.RecordsAffected);
    }

    /// <summary>Values of every type the codec stores, at and near the edges of their ranges.</summary>
    private static readonly object?[] AnyValues =
    [
        null, true, false, (byte)255, (sbyte)-128, short.MinValue, ushort.MaxValue, 0, -1, int.MaxValue, int.MinValue, uint.MaxValue,
        0L, long.MaxValue, long.MinValue, 5_000_000_000L, ulong.MaxValue, float.NaN, float.MaxValue, -0.5f, double.NaN,
        double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, 2_451_545.0, -1e300, 1e20, decimal.MaxValue,
        decimal.MinValue, 0.0000000000000000000000000001m, 12.50m, "", "x", "abc", "12", "99999999999999999999", "1e400", "NaN",
        "2024-02-29", "9999-12-31 23:59:59.9999999+14:00", "not a guid", "\ud800", "日本語", char.MaxValue, 'a', Guid.Empty,
        new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), DateTime.MinValue, DateTime.MaxValue, new DateTime(2024, 2, 29, 1, 2, 3, DateTimeKind.Local),
        DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(14)),
        DateOnly.MinValue, DateOnly.MaxValue, TimeOnly.MaxValue, TimeSpan.MinValue, TimeSpan.MaxValue, Array.Empty<byte>(),
        new byte[] { 1, 2, 3 }, new byte[16], new[] { 1, 2 }, new int?[] { null, 3 }, new List<string> { "a", "b" },
        new List<long?> { null, long.MaxValue }, new[] { double.NaN }, new List<Guid>(), new[] { "a", "b" },
    ];

    private static CachedResult[] BuildShapes()
    {
        var products = StorageTestData.Products(3);
        CachedColumn[] scalars =
        [
            new("Blob", "BLOB", typeof(byte[])), new("When", "timestamp with time zone", typeof(DateTimeOffset)), new("Day", "date", typeof(DateOnly)),
            new("At", "time without time zone", typeof(TimeOnly)), new("Span", "interval", typeof(TimeSpan)), new("Real", "REAL", typeof(double)),
            new("Single", "real", typeof(float)), new("Letter", "character", typeof(char)), new("Tiny", "tinyint", typeof(sbyte)),
            new("U16", "x", typeof(ushort)), new("U32", "x", typeof(uint)), new("U64", "x", typeof(ulong)), new("Big", "bigint", typeof(long)),
            new("Small", "smallint", typeof(short)), new("Octet", "tinyint", typeof(byte)), new("Lone", "TEXT", typeof(string)),
            new("Odd", "x", typeof(Uri)),
        ];
        List<object?[]> scalarRows =
        [
            [new byte[] { 1, 2, 3 }, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(330)), new DateOnly(2024, 2, 29), new TimeOnly(13, 14), TimeSpan.FromDays(-3),
                1.5, 2.5f, 'z', (sbyte)-3, (ushort)7, 8u, 9ul, long.MaxValue, (short)-2, (byte)200, "\ud800x", null],
            [Array.Empty<byte>(), DateTimeOffset.MinValue, DateOnly.MinValue, TimeOnly.MinValue, TimeSpan.Zero, double.NaN, float.MinValue, '\0', sbyte.MaxValue,
                ushort.MaxValue, uint.MaxValue, ulong.MaxValue, long.MinValue, short.MaxValue, byte.MinValue, "日本語 🎉", null],
            [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
        ];
        CachedColumn[] collections =
        [
            new("Ints", "integer[]", typeof(int[])), new("Names", "text[]", typeof(List<string>)), new("Maybe", "integer[]", typeof(int?[])),
            new("Longs", "bigint[]", typeof(List<long?>)), new("Reals", "double precision[]", typeof(double[])), new("Ids", "uuid[]", typeof(Guid[])),
        ];
        List<object?[]> collectionRows =
        [
            [new[] { 1, 2, 3 }, new List<string> { "a", "", "日本" }, new int?[] { 1, null }, new List<long?> { null }, new[] { 0.5, double.NaN }, new[] { Guid.Empty }],
            [Array.Empty<int>(), new List<string>(), Array.Empty<int?>(), new List<long?>(), Array.Empty<double>(), Array.Empty<Guid>()],
            [null, null, null, null, null, null],
        ];
        CachedColumn[] count = [new("COUNT(*)", "INTEGER", typeof(long))];
        return
        [
            products,
            new CachedResult([new CachedResultSet(scalars, scalarRows)], -1),
            new CachedResult([new CachedResultSet(collections, collectionRows)], -1),
            new CachedResult(
            [
                products.ResultSets[0],
                new CachedResultSet([], [[], []]),
                new CachedResultSet(count, [[3L]]),
                new CachedResultSet(scalars, []),
                new CachedResultSet(collections, collectionRows),
            ], 5),
        ];
    }
}
