using System.Globalization;
using System.Text;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Invariant 1 against what raw SQL or another application can leave in a SQLite column: every storage class
/// (INTEGER, REAL, TEXT, BLOB, NULL) under a property of every CLR type EF Core maps, read without the cache (the
/// truth) and through it — a miss and a hit of a no-tracking query, a tracking query's hit, a hit recorded by a miss
/// whose context already tracked the row (EF Core reads only the key, the cache records the cell with <c>GetValue</c>
/// and converts it on the hit), and <c>SqlQuery</c> of the column as the non-nullable scalar, missed and hit. The
/// cache may give the same value or throw the same exception; a different value, or a value where the database
/// throws, is a wrong row. A different exception, or an exception where the database gives a value, is listed in
/// the output as a lesser difference. Shared by <see cref="StorageClassDifferentialTests"/> and
/// <see cref="CultureZoneStorageClassDifferentialTests"/>.
/// </summary>
internal static class StorageClassDifferential
{
    private static readonly (string StorageClass, string Literal)[] Stored =
    [
        ("NULL", "NULL"),
        ("INTEGER", "0"), ("INTEGER", "1"), ("INTEGER", "-1"), ("INTEGER", "65"), ("INTEGER", "300"),
        ("INTEGER", "2147483648"), ("INTEGER", "9223372036854775807"), ("INTEGER", "-9223372036854775808"),
        ("INTEGER", "2460311"),
        ("REAL", "0.0"), ("REAL", "2.5"), ("REAL", "-0.5"), ("REAL", "65.9"), ("REAL", "(0.1 + 0.2)"), ("REAL", "1e20"),
        ("REAL", "-1e20"), ("REAL", "1e300"), ("REAL", "2460311.5"), ("REAL", "16777217.0"),
        ("TEXT", "'0'"), ("TEXT", "'1'"), ("TEXT", "'12'"), ("TEXT", "' 7 '"), ("TEXT", "'1,000'"), ("TEXT", "'12abc'"),
        ("TEXT", "'abc'"), ("TEXT", "''"), ("TEXT", "'A'"), ("TEXT", "'é'"), ("TEXT", "'true'"), ("TEXT", "'1.5'"),
        ("TEXT", "'1e3'"), ("TEXT", "'-0'"), ("TEXT", "'0x10'"), ("TEXT", "'18446744073709551615'"),
        ("TEXT", "'2024-01-02 03:04:05'"), ("TEXT", "'2024-01-02 03:04:05.1234567'"), ("TEXT", "'2024-01-02T03:04:05+02:00'"),
        ("TEXT", "'2024-01-02'"), ("TEXT", "'03:04:05'"), ("TEXT", "'03:04:05+02:00'"), ("TEXT", "'01/02'"), ("TEXT", "'1.02:03:04'"), ("TEXT", "'02:03:04,5'"), ("TEXT", "'1:02:03:04.5'"),
        ("TEXT", "'0f8fad5b-d9cb-469f-a165-70867728950e'"), ("TEXT", "'0F8FAD5B-D9CB-469F-A165-70867728950E'"),
        ("TEXT", "'Dark'"), ("TEXT", "'Infinity'"), ("TEXT", "'NaN'"), ("TEXT", "'1e'"), ("TEXT", "'.'"),
        ("TEXT", "'0.30000000000000004441'"), ("TEXT", "'250134691156137.828192298'"), ("TEXT", "CAST(x'ff41' AS TEXT)"),
        ("TEXT", "'\uFFFD'"), // a genuine replacement character, beside the invalid UTF-8 above
        ("BLOB", "x''"), ("BLOB", "x'41'"), ("BLOB", "x'3132'"), ("BLOB", "x'00112233445566778899aabbccddeeff'"),
        ("BLOB", "CAST('0f8fad5b-d9cb-469f-a165-70867728950e' AS BLOB)"), ("BLOB", "x'ff'"),
    ];

    private static readonly StorageClassColumn[] Columns =
    [
        Column<bool>("OfBool", c => c.OfBool),
        Column<byte>("OfByte", c => c.OfByte),
        Column<sbyte>("OfSByte", c => c.OfSByte),
        Column<short>("OfInt16", c => c.OfInt16),
        Column<ushort>("OfUInt16", c => c.OfUInt16),
        Column<int>("OfInt32", c => c.OfInt32),
        Column<uint>("OfUInt32", c => c.OfUInt32),
        Column<long>("OfInt64", c => c.OfInt64),
        Column<ulong>("OfUInt64", c => c.OfUInt64),
        Column<float>("OfSingle", c => c.OfSingle),
        Column<double>("OfDouble", c => c.OfDouble),
        Column<decimal>("OfDecimal", c => c.OfDecimal),
        Column<char>("OfChar", c => c.OfChar),
        Column<string>("OfString", c => c.OfString),
        Column<Guid>("OfGuid", c => c.OfGuid),
        Column<byte[]>("OfBytes", c => c.OfBytes),
        Column<DateTime>("OfDateTime", c => c.OfDateTime),
        Column<DateTimeOffset>("OfDateTimeOffset", c => c.OfDateTimeOffset),
        Column<DateOnly>("OfDateOnly", c => c.OfDateOnly),
        Column<TimeOnly>("OfTimeOnly", c => c.OfTimeOnly),
        Column<TimeSpan>("OfTimeSpan", c => c.OfTimeSpan),
        new("OfNumberEnum", c => c.OfNumberEnum, null),
        new("OfTextEnum", c => c.OfTextEnum, null),
    ];

    /// <summary>
    /// Runs the comparison: the truth and the hits read in <paramref name="hit"/>, the misses in <paramref name="miss"/>
    /// (compared with a truth read in <paramref name="miss"/>); null leaves the culture and the zone as they are.
    /// </summary>
    public static async Task AssertCacheReadsAsTheDatabaseAsync(
        RedisServerFixture redis, ITestOutputHelper output, ReadConditions? miss = null, ReadConditions? hit = null)
    {
        using var database = new SqliteTestDatabase();
        var script = new StringBuilder("BEGIN;");
        script.Append("CREATE TABLE \"Cells\" (\"Id\" INTEGER PRIMARY KEY");
        foreach (var column in Columns)
        {
            script.Append(", \"").Append(column.Name).Append('"'); // no type: BLOB affinity keeps each storage class
        }

        script.Append(");");
        for (var c = 0; c < Columns.Length; c++)
        {
            for (var v = 0; v < Stored.Length; v++)
            {
                script.Append(CultureInfo.InvariantCulture, $"INSERT INTO \"Cells\" (\"Id\", \"{Columns[c].Name}\") VALUES ({Id(c, v)}, {Stored[v].Literal});");
            }
        }

        script.Append("COMMIT;");
        await using var uncached = new StorageClassCellContext(database.CreateOptions<StorageClassCellContext>());
        await uncached.Database.ExecuteSqlRawAsync(script.ToString());

        var counter = new DatabaseCommandCounter();
        StorageClassCellContext Cached(string prefix) => new(database.CreateOptions<StorageClassCellContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0; // every hit decodes what a miss recorded
            })
            .AddInterceptors(counter)));
        await using var fresh = Cached(redis.NewKeyPrefix());
        await using var tracked = Cached(redis.NewKeyPrefix());

        var wrong = new List<string>();
        var lesser = new List<string>();
        var notHits = new List<string>();
        for (var c = 0; c < Columns.Length; c++)
        {
            var column = Columns[c];
            for (var v = 0; v < Stored.Length; v++)
            {
                var id = Id(c, v);
                var cell = $"{column.Name} <- {Stored[v].StorageClass} {Stored[v].Literal}";
                void Compare(string path, string truth, string cached)
                {
                    if (truth == cached)
                    {
                        return;
                    }

                    var line = $"{cell}, {path}: database {truth}, cache {cached}";
                    (cached.StartsWith("throws", StringComparison.Ordinal) ? lesser : wrong).Add(line);
                }

                miss?.Enter();
                var missTruth = await OutcomeAsync(() => ReadAsync(uncached.Cells.AsNoTracking(), id, column));
                Compare("no-tracking miss", missTruth, await OutcomeAsync(() => ReadAsync(fresh.Cells.AsNoTracking().Cacheable(), id, column)));
                tracked.Attach(new StorageClassCell { Id = id }); // the miss reads the key only
                await OutcomeAsync(() => ReadAsync(tracked.Cells.Cacheable(), id, column));
                tracked.ChangeTracker.Clear();
                var scalarMissTruth = column.ScalarQuery is { } missScalar ? await OutcomeAsync(() => missScalar(uncached, id, false)) : null;
                var scalarMiss = column.ScalarQuery is { } cachedScalar ? await OutcomeAsync(() => cachedScalar(fresh, id, true)) : null;

                hit?.Enter();
                var truth = await OutcomeAsync(() => ReadAsync(uncached.Cells.AsNoTracking(), id, column));
                counter.Reset();
                Compare("no-tracking hit", truth, await OutcomeAsync(() => ReadAsync(fresh.Cells.AsNoTracking().Cacheable(), id, column)));
                if (counter.Queries != 0 && !truth.StartsWith("throws", StringComparison.Ordinal))
                {
                    notHits.Add($"{cell}, no-tracking hit");
                }

                fresh.ChangeTracker.Clear();
                Compare("tracking hit", truth, await OutcomeAsync(() => ReadAsync(fresh.Cells.Cacheable(), id, column)));
                fresh.ChangeTracker.Clear();
                counter.Reset();
                Compare("hit of a miss that tracked the row", truth, await OutcomeAsync(() => ReadAsync(tracked.Cells.Cacheable(), id, column)));
                if (counter.Queries != 0)
                {
                    notHits.Add($"{cell}, hit of a miss that tracked the row");
                }

                tracked.ChangeTracker.Clear();

                if (column.ScalarQuery is { } scalar)
                {
                    Compare("SqlQuery miss", scalarMissTruth!, scalarMiss!);
                    Compare("SqlQuery hit", await OutcomeAsync(() => scalar(uncached, id, false)), await OutcomeAsync(() => scalar(fresh, id, true)));
                }
            }
        }

        foreach (var line in lesser)
        {
            output.WriteLine("lesser: " + line);
        }

        foreach (var line in notHits)
        {
            output.WriteLine("not a hit: " + line);
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private static int Id(int column, int value) => (column * 1000) + value + 1;

    private static StorageClassColumn Column<T>(string name, Func<StorageClassCell, object?> property) => new(
        name,
        property,
        async (context, id, cached) =>
        {
#pragma warning disable EF1003 // the column name is one of this class's constants
            var query = context.Database.SqlQueryRaw<T>("SELECT \"" + name + "\" AS \"Value\" FROM \"Cells\" WHERE \"Id\" = {0}", id);
#pragma warning restore EF1003
            return (await (cached ? query.Cacheable() : query).ToListAsync()).Single();
        });

    private static async Task<object?> ReadAsync(IQueryable<StorageClassCell> cells, int id, StorageClassColumn column) =>
        column.Property((await cells.Where(c => c.Id == id).ToListAsync()).Single());

    private static async Task<string> OutcomeAsync(Func<Task<object?>> read)
    {
        try
        {
            return Describe(await read());
        }
        catch (Exception ex)
        {
            return $"throws {ex.GetType().Name}" + (ex.InnerException is { } inner ? $"({inner.GetType().Name})" : "");
        }
    }

    private static string Describe(object? value)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = value switch
        {
            null => "<null>",
            double d => d.ToString("R", c) + " bits " + BitConverter.DoubleToInt64Bits(d).ToString(c),
            float f => f.ToString("R", c) + " bits " + BitConverter.SingleToInt32Bits(f).ToString(c),
            decimal m => m.ToString(c) + " bits " + string.Join(",", decimal.GetBits(m)),
            DateTime dt => dt.ToString("O", c) + " " + dt.Kind,
            DateTimeOffset dto => dto.ToString("O", c),
            byte[] bytes => Convert.ToHexString(bytes),
            string s => "\"" + string.Concat(s.Select(ch => ch < 128 && !char.IsControl(ch) ? ch.ToString() : $"\\u{(int)ch:x4}")) + "\"",
            char ch => $"U+{(int)ch:x4}",
            IFormattable formattable => formattable.ToString(null, c),
            _ => value.ToString() ?? "",
        };
        return value is null ? text : $"{value.GetType().Name} {text}";
    }
}
