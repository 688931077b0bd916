using System.Data.Common;
using System.Globalization;
using EfRedisCache.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EfRedisCache.Tests.Storage;

public sealed class RecordingDataReaderUnitTests : IDisposable
{
    private const string SelectAll = "SELECT Id, Name, Price, ExternalId, CreatedAt, Stamp, Day, Data, Score, Note FROM Items ORDER BY Id";

    private static readonly Guid FirstGuid = new("0f8fad5b-d9cb-469f-a165-70867728950e");

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public RecordingDataReaderUnitTests()
    {
        _connection.Open();
        Execute("""
            CREATE TABLE Items (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Price TEXT NOT NULL, ExternalId TEXT NOT NULL,
                CreatedAt TEXT NOT NULL, Stamp TEXT NOT NULL, Day TEXT NOT NULL, Data BLOB, Score REAL, Note TEXT);
            """);
        for (int i = 1; i <= 5; i++)
        {
            using SqliteCommand insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO Items VALUES ($id, $name, $price, $guid, $created, $stamp, $day, $data, $score, $note)";
            insert.Parameters.AddWithValue("$id", i);
            insert.Parameters.AddWithValue("$name", i == 2 ? "日本語 🎉" : $"Item {i}");
            insert.Parameters.AddWithValue("$price", (19.990m + i).ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$guid", (i == 1 ? FirstGuid : Guid.NewGuid()).ToString().ToUpperInvariant());
            insert.Parameters.AddWithValue("$created", new DateTime(2024, 2, 28, 13, 14, 15, 123).AddDays(i).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$stamp", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromMinutes(330)).AddHours(i));
            insert.Parameters.AddWithValue("$day", new DateOnly(2024, 2, 28).AddDays(i));
            insert.Parameters.AddWithValue("$data", i == 3 ? DBNull.Value : new byte[i - 1]);
            insert.Parameters.AddWithValue("$score", i == 4 ? DBNull.Value : i * 1.25);
            insert.Parameters.AddWithValue("$note", i % 2 == 0 ? $"note {i}" : DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Typed_reads_replay_identically_after_serialization()
    {
        var completion = new Completion();
        List<object?[]> original;
        using (var recording = new RecordingDataReader(ExecuteReader(SelectAll), 1 << 20, completion.OnCompleted))
        {
            original = ReadLikeEfCore(recording);
        }

        CachedResult result = completion.Single();
        using var replay = new ReplayDataReader(CachedResultSerializer.Deserialize(StorageTestData.Serialize(result)));
        List<object?[]> replayed = ReadLikeEfCore(replay);

        Assert.Equal(5, original.Count);
        Assert.Equal(original.Count, replayed.Count);
        for (int r = 0; r < original.Count; r++)
        {
            Assert.Equal(original[r], replayed[r]);
        }

        Assert.Equal(20.990m, original[0][2]);
        Assert.Equal(3, ((decimal)replayed[0][2]!).Scale);
        Assert.Equal(FirstGuid, original[0][3]);
        Assert.Equal(TimeSpan.FromMinutes(330), ((DateTimeOffset)replayed[0][5]!).Offset);
        Assert.IsType<decimal>(result.ResultSets[0].Rows[0][2]);
        Assert.IsType<Guid>(result.ResultSets[0].Rows[0][3]);
        Assert.IsType<DateOnly>(result.ResultSets[0].Rows[0][6]);
    }

    [Fact]
    public void Raw_recordings_replay_like_the_Sqlite_reader()
    {
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(SelectAll), 1 << 20, completion.OnCompleted))
        {
            while (recording.Read())
            {
                _ = recording.GetValue(0); // everything else is filled raw before the next row
            }
        }

        using var replay = new ReplayDataReader(CachedResultSerializer.Deserialize(StorageTestData.Serialize(completion.Single())));
        using SqliteDataReader sqlite = ExecuteReader(SelectAll);
        while (sqlite.Read())
        {
            Assert.True(replay.Read());
            Assert.Equal(sqlite.GetInt32(0), replay.GetInt32(0));
            Assert.Equal(sqlite.GetInt64(0), replay.GetInt64(0));
            Assert.Equal(sqlite.GetBoolean(0), replay.GetBoolean(0));
            Assert.Equal(sqlite.GetDouble(0), replay.GetDouble(0));
            Assert.Equal(sqlite.GetString(1), replay.GetString(1));
            Assert.Equal(sqlite.GetDecimal(2), replay.GetDecimal(2));
            Assert.Equal(sqlite.GetGuid(3), replay.GetGuid(3));
            Assert.Equal(sqlite.GetDateTime(4), replay.GetDateTime(4));
            Assert.Equal(sqlite.GetDateTime(4).Kind, replay.GetDateTime(4).Kind);
            Assert.Equal(sqlite.GetFieldValue<DateTimeOffset>(5), replay.GetFieldValue<DateTimeOffset>(5));
            Assert.Equal(sqlite.GetFieldValue<DateOnly>(6), replay.GetFieldValue<DateOnly>(6));
            Assert.Equal(sqlite.IsDBNull(7), replay.IsDBNull(7));
            if (!sqlite.IsDBNull(7))
            {
                Assert.Equal(sqlite.GetFieldValue<byte[]>(7), replay.GetFieldValue<byte[]>(7));
                Assert.Equal(sqlite.GetBytes(7, 0, null, 0, 0), replay.GetBytes(7, 0, null, 0, 0));
            }

            Assert.Equal(sqlite.IsDBNull(8), replay.IsDBNull(8));
            Assert.Equal(sqlite.GetValue(8), replay.GetValue(8));
            Assert.Equal(sqlite.GetValue(9), replay.GetValue(9));
            Assert.Equal(sqlite.GetFieldType(2), replay.GetFieldType(2));
            Assert.Equal(sqlite.GetDataTypeName(2), replay.GetDataTypeName(2));
        }

        Assert.False(replay.Read());
    }

    [Fact]
    public void Reals_recorded_raw_replay_as_the_text_and_decimal_Sqlite_writes_for_them()
    {
        // Microsoft.Data.Sqlite reads a REAL as a string or a decimal through SQLite's own text of it (up to 17
        // digits, rounded by SQLite's own arithmetic), which a cell recorded with GetValue must give back exactly.
        Execute("CREATE TABLE Reals (Id INTEGER PRIMARY KEY, Value REAL NOT NULL)");
        var random = new Random(20261124);
        double[] edges = [0.1 + 0.2, 1e-7, 123456789.12345678, 1e15, 1e16, 1e17, 5e-324, -0.0, 1e300, 2231185735880606.25, 0.00271665988380098];
        using (SqliteCommand insert = _connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO Reals VALUES ($id, $value)";
            SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Integer);
            SqliteParameter value = insert.Parameters.Add("$value", SqliteType.Real);
            for (int i = 0; i < 3000; i++)
            {
                id.Value = i;
                value.Value = i < edges.Length ? edges[i]
                    : i % 3 == 0 ? Math.Round(random.NextDouble() * 1e6, random.Next(0, 8))
                    : i % 3 == 1 ? random.NextDouble() * Math.Pow(10, random.Next(-30, 30))
                    : FiniteBits(random);
                insert.ExecuteNonQuery();
            }
        }

        const string selectReals = "SELECT Id, Value FROM Reals ORDER BY Id";
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(selectReals), 1 << 24, completion.OnCompleted))
        {
            while (recording.Read())
            {
                _ = recording.GetInt32(0); // as EF Core reads a tracked row: the key only
            }
        }

        using var replay = new ReplayDataReader(CachedResultSerializer.Deserialize(StorageTestData.Serialize(completion.Single())));
        using SqliteDataReader sqlite = ExecuteReader(selectReals);
        while (sqlite.Read())
        {
            Assert.True(replay.Read());
            Assert.Equal(sqlite.GetString(1), replay.GetString(1));
            Assert.Equal(sqlite.GetFieldValue<string>(1), replay.GetFieldValue<string>(1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sqlite.GetDouble(1)), BitConverter.DoubleToInt64Bits(replay.GetDouble(1)));
            Assert.Equal(sqlite.GetValue(1), replay.GetValue(1));
            Assert.Equal(sqlite.GetFieldValue<object>(1), replay.GetFieldValue<object>(1));
            Assert.Equal(sqlite.GetFieldType(1), replay.GetFieldType(1));
            Assert.Equal(Outcome(() => sqlite.GetDecimal(1)), Outcome(() => replay.GetDecimal(1)));
        }

        Assert.False(replay.Read());

        static double FiniteBits(Random random)
        {
            double bits;
            do
            {
                bits = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            }
            while (!double.IsFinite(bits));
            return bits;
        }

        static string Outcome(Func<decimal> read)
        {
            try
            {
                return string.Join(",", decimal.GetBits(read()));
            }
            catch (Exception ex)
            {
                return ex.GetType().Name;
            }
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite fills a date or a year the text leaves out from the clock ('03:04:05' is today, '01/02' the
    /// 2nd of January of this year): a value recorded from it would give a hit after midnight, or in a process whose
    /// zone is on another day, the miss's date. Such text is recorded as text, from the getter EF Core called (row 1)
    /// and from the learned getter on a row it skipped (row 2), so each replay converts it at its own time; the
    /// replayed value is the one the database gives around the replay (read before and after it, in case midnight
    /// passes between). A full date is clock-free and recorded as the value.
    /// </summary>
    [Fact]
    public void Date_text_that_takes_its_date_or_year_from_the_clock_is_recorded_as_text_and_converted_at_each_replay()
    {
        Execute("""
            CREATE TABLE Clocked (Id INTEGER PRIMARY KEY, At TEXT, Stamp TEXT, AtNoYear TEXT, Day TEXT, Full TEXT);
            INSERT INTO Clocked VALUES (1, '03:04:05', '03:04:05', '01/02', '01/02', '2024-01-02 03:04:05'),
                (2, '23:59:59', '00:00:01', 'Feb 3', '12/31', '2024-01-02 03:04:05');
            """);
        const string select = "SELECT Id, At, Stamp, AtNoYear, Day, Full FROM Clocked ORDER BY Id";
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(select), 1 << 20, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            ReadClocked(recording); // row 2 is left to the drain, with the getters learnt here
        }

        CachedResultSet set = Assert.Single(completion.Single().ResultSets);
        Assert.Equal(["03:04:05", "03:04:05", "01/02", "01/02"], set.Rows[0][1..5]);
        Assert.Equal(["23:59:59", "00:00:01", "Feb 3", "12/31"], set.Rows[1][1..5]);
        Assert.All(set.Rows, row => Assert.IsType<DateTime>(row[5]));

        var cached = CachedResultSerializer.Deserialize(StorageTestData.Serialize(completion.Single()));
        List<object?[]> before = ReadAllClocked(ExecuteReader(select));
        List<object?[]> replayed = ReadAllClocked(new ReplayDataReader(cached));
        List<object?[]> after = ReadAllClocked(ExecuteReader(select));
        Assert.True(
            Same(before, replayed) || Same(after, replayed),
            $"database {Describe(before)} / {Describe(after)}, replay {Describe(replayed)}");

        static List<object?[]> ReadAllClocked(DbDataReader reader)
        {
            using (reader)
            {
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    rows.Add(ReadClocked(reader));
                }

                return rows;
            }
        }

        static object?[] ReadClocked(DbDataReader reader) =>
        [
            reader.GetInt64(0),
            reader.GetDateTime(1),
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTime>(3),
            reader.GetFieldValue<DateOnly>(4),
            reader.GetDateTime(5),
        ];

        static bool Same(List<object?[]> a, List<object?[]> b) => Describe(a) == Describe(b);

        static string Describe(List<object?[]> rows) => string.Join("; ", rows.Select(row => string.Join(", ", row.Select(value => value switch
        {
            DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture) + " " + dt.Kind,
            DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString(),
        }))));
    }

    [Fact]
    public void Disposing_after_one_row_drains_the_rest_with_the_learned_getters()
    {
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(SelectAll), 1 << 20, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            Assert.Equal(1, recording.GetInt32(0));
            Assert.Equal(20.990m, recording.GetDecimal(2));
        }

        CachedResultSet set = Assert.Single(completion.Single().ResultSets);
        Assert.Equal(5, set.Rows.Count);
        Assert.Equal([1, 2, 3, 4, 5], set.Rows.Select(r => r[0]));
        Assert.All(set.Rows, r => Assert.IsType<decimal>(r[2]));
        Assert.All(set.Rows, r => Assert.IsType<string>(r[3])); // never read typed: stored raw
        Assert.Null(set.Rows[2][7]);
    }

    [Fact]
    public async Task DisposeAsync_drains_through_the_async_path()
    {
        var completion = new Completion();
        await using (var recording = new RecordingDataReader(ExecuteReader(SelectAll), 1 << 20, completion.OnCompleted))
        {
            Assert.True(await recording.ReadAsync());
            Assert.Equal(FirstGuid, await recording.GetFieldValueAsync<Guid>(3));
            Assert.False(await recording.IsDBNullAsync(0));
        }

        CachedResultSet set = Assert.Single(completion.Single().ResultSets);
        Assert.Equal(5, set.Rows.Count);
        Assert.All(set.Rows, r => Assert.IsType<Guid>(r[3]));
    }

    [Fact]
    public void A_drain_over_the_size_bound_reports_null()
    {
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(SelectAll), 150, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            _ = recording.GetInt32(0);
        }

        Assert.Null(completion.Result);
        Assert.Contains("150", completion.Reason, StringComparison.Ordinal);
        Assert.Equal(1, completion.Calls);
    }

    [Fact]
    public void A_drain_of_more_than_ten_thousand_rows_reports_null_but_reading_them_all_is_fine()
    {
        const string Many = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10050) SELECT x FROM c";
        var partial = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(Many), 1 << 24, partial.OnCompleted))
        {
            Assert.True(recording.Read());
        }

        var full = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(Many), 1 << 24, full.OnCompleted))
        {
            while (recording.Read())
            {
                _ = recording.GetInt64(0);
            }
        }

        Assert.Null(partial.Result);
        Assert.Contains(RecordingDataReader.MaxDrainRows.ToString(CultureInfo.InvariantCulture), partial.Reason, StringComparison.Ordinal);
        Assert.Equal(10_050, full.Single().ResultSets[0].Rows.Count);
    }

    [Fact]
    public void Records_every_result_set_and_RecordsAffected()
    {
        const string Batch = "UPDATE Items SET Score = Score WHERE Id <= 2; SELECT Id FROM Items WHERE Id < 3 ORDER BY Id; SELECT 'a' AS L UNION ALL SELECT 'b';";
        int expectedAffected;
        using (SqliteDataReader plain = ExecuteReader(Batch))
        {
            while (plain.NextResult())
            {
            }

            expectedAffected = plain.RecordsAffected;
        }

        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader(Batch), 1 << 20, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            Assert.Equal(1, recording.GetInt32(0));
            Assert.True(recording.NextResult()); // skips row 2: it must still be recorded
            Assert.True(recording.Read());
            Assert.Equal("a", recording.GetString(0));
        }

        CachedResult result = completion.Single();
        Assert.Equal(2, result.ResultSets.Count);
        Assert.Equal([1, 2], result.ResultSets[0].Rows.Select(r => r[0]));
        Assert.Equal(["a", "b"], result.ResultSets[1].Rows.Select(r => r[0]));
        Assert.Equal(2, expectedAffected);
        Assert.Equal(expectedAffected, result.RecordsAffected);
    }

    [Fact]
    public async Task Reports_exactly_once_and_swallows_callback_exceptions()
    {
        int calls = 0;
        var recording = new RecordingDataReader(ExecuteReader(SelectAll), 1 << 20, (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("callback bug");
        });

        recording.Close();
        recording.Dispose();
        await recording.DisposeAsync();

        Assert.Equal(1, calls);
        Assert.True(recording.IsClosed);
    }

    [Fact]
    public void Inner_exceptions_propagate_unchanged_and_report_null()
    {
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader("SELECT 'not a guid', 9223372036854775807"), 1 << 20, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            Assert.Throws<FormatException>(() => recording.GetGuid(0));
            Assert.Throws<OverflowException>(() => recording.GetInt32(1));
        }

        Assert.Null(completion.Result);
        Assert.Contains("FormatException", completion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_values_report_null()
    {
        var inner = new ReplayDataReader(new CachedResult([new CachedResultSet([new("u", "", typeof(Uri))], [[new Uri("http://example.com")]])], -1));
        var completion = new Completion();
        using (var recording = new RecordingDataReader(inner, 1 << 20, completion.OnCompleted))
        {
            Assert.True(recording.Read());
            Assert.IsType<Uri>(recording.GetValue(0));
            Assert.False(recording.Read());
        }

        Assert.Null(completion.Result);
        Assert.Contains("System.Uri", completion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_result_is_recorded_with_its_schema()
    {
        var completion = new Completion();
        using (var recording = new RecordingDataReader(ExecuteReader("SELECT Id, Name FROM Items WHERE Id < 0"), 1 << 20, completion.OnCompleted))
        {
            Assert.False(recording.Read());
        }

        CachedResultSet set = Assert.Single(completion.Single().ResultSets);
        Assert.Empty(set.Rows);
        Assert.Equal(["Id", "Name"], set.Columns.Select(c => c.Name));
    }

    /// <summary>Reads each column the way EF Core's shaper does for the model's CLR type.</summary>
    private static List<object?[]> ReadLikeEfCore(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(
            [
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetDecimal(2),
                reader.GetGuid(3),
                reader.GetDateTime(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateOnly>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7),
                reader.IsDBNull(8) ? null : reader.GetDouble(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
            ]);
        }

        return rows;
    }

    private SqliteDataReader ExecuteReader(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteReader();
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Completion
    {
        public int Calls { get; private set; }

        public CachedResult? Result { get; private set; }

        public string? Reason { get; private set; }

        public void OnCompleted(CachedResult? result, string? reason)
        {
            Calls++;
            Result = result;
            Reason = reason;
        }

        public CachedResult Single()
        {
            Assert.Equal(1, Calls);
            Assert.True(Result is not null, Reason);
            Assert.Null(Reason);
            return Result;
        }
    }
}
