using System.Data.Common;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

public class ReplayDataReaderUnitTests
{
    private enum Status
    {
        Active = 1,
        Archived = 2,
    }

    [Fact]
    public void Getters_before_Read_throw_InvalidOperationException()
    {
        using var reader = new ReplayDataReader(StorageTestData.Products(2));

        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
        Assert.Throws<InvalidOperationException>(() => reader.GetValue(0));
        Assert.Throws<InvalidOperationException>(() => reader.IsDBNull(0));
        Assert.Throws<InvalidOperationException>(() => reader.GetFieldValue<string>(1));
    }

    [Fact]
    public void Getters_after_the_last_row_throw_InvalidOperationException()
    {
        using var reader = new ReplayDataReader(StorageTestData.Products(1));
        Assert.True(reader.Read());
        Assert.False(reader.Read());

        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Reads_rows_in_order_with_schema()
    {
        using var reader = new ReplayDataReader(StorageTestData.Products(3));

        Assert.Equal(6, reader.FieldCount);
        Assert.Equal(6, reader.VisibleFieldCount);
        Assert.True(reader.HasRows);
        Assert.Equal(0, reader.Depth);
        Assert.Equal(-1, reader.RecordsAffected);
        Assert.Equal("Price", reader.GetName(2));
        Assert.Equal("TEXT", reader.GetDataTypeName(2));
        Assert.Equal(typeof(decimal), reader.GetFieldType(2));
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt32(0));
        }

        Assert.Equal([1, 2, 3], ids);
    }

    [Fact]
    public void GetOrdinal_prefers_exact_case_then_ignores_case_then_throws()
    {
        CachedColumn[] columns = [new("name", "TEXT", typeof(string)), new("Name", "TEXT", typeof(string))];
        using var reader = new ReplayDataReader(new CachedResult([new CachedResultSet(columns, [["a", "b"]])], -1));

        Assert.Equal(1, reader.GetOrdinal("Name"));
        Assert.Equal(0, reader.GetOrdinal("name"));
        Assert.Equal(0, reader.GetOrdinal("NAME"));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("missing"));
        Assert.True(reader.Read());
        Assert.Equal("b", reader["Name"]);
    }

    [Fact]
    public void Null_cells_throw_InvalidCastException_on_typed_getters()
    {
        using var reader = SingleValue(null, typeof(int));
        Assert.True(reader.Read());

        Assert.True(reader.IsDBNull(0));
        Assert.Same(DBNull.Value, reader.GetValue(0));
        Assert.Same(DBNull.Value, reader[0]);
        Assert.Throws<InvalidCastException>(() => reader.GetInt32(0));
        Assert.Throws<InvalidCastException>(() => reader.GetString(0));
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<int>(0));
        Assert.Throws<InvalidCastException>(() => reader.GetBytes(0, 0, null, 0, 0));
        Assert.Null(reader.GetFieldValue<int?>(0));
        Assert.Null(reader.GetFieldValue<string>(0));
        Assert.Same(DBNull.Value, reader.GetFieldValue<object>(0));
    }

    [Fact]
    public void Values_of_the_requested_type_come_back_unchanged()
    {
        var dto = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromMinutes(330));
        object?[] row = [true, (byte)7, 'x', DateTime.UnixEpoch, 1.5m, 2.5d, 3.5f, Guid.Empty, (short)4, 5, 6L, "s", dto, new DateOnly(2024, 2, 29), new TimeOnly(1, 2), TimeSpan.FromHours(3), new byte[] { 9 }];
        CachedColumn[] columns = row.Select((v, i) => new CachedColumn($"c{i}", "", v!.GetType())).ToArray();
        using var reader = new ReplayDataReader(new CachedResult([new CachedResultSet(columns, [row])], -1));
        Assert.True(reader.Read());

        Assert.True(reader.GetBoolean(0));
        Assert.Equal((byte)7, reader.GetByte(1));
        Assert.Equal('x', reader.GetChar(2));
        Assert.Equal(DateTime.UnixEpoch, reader.GetDateTime(3));
        Assert.Equal(1.5m, reader.GetDecimal(4));
        Assert.Equal(2.5d, reader.GetDouble(5));
        Assert.Equal(3.5f, reader.GetFloat(6));
        Assert.Equal(Guid.Empty, reader.GetGuid(7));
        Assert.Equal((short)4, reader.GetInt16(8));
        Assert.Equal(5, reader.GetInt32(9));
        Assert.Equal(6L, reader.GetInt64(10));
        Assert.Equal("s", reader.GetString(11));
        Assert.Equal(dto, reader.GetFieldValue<DateTimeOffset>(12));
        Assert.Equal(TimeSpan.FromMinutes(330), reader.GetFieldValue<DateTimeOffset>(12).Offset);
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(13));
        Assert.Equal(new TimeOnly(1, 2), reader.GetFieldValue<TimeOnly>(14));
        Assert.Equal(TimeSpan.FromHours(3), reader.GetFieldValue<TimeSpan>(15));
        Assert.Equal(new byte[] { 9 }, reader.GetFieldValue<byte[]>(16));
        Assert.Equal(5, reader.GetFieldValue<int?>(9));
        Assert.Equal(5, reader.GetFieldValue<object>(9));
        var values = new object[row.Length];
        Assert.Equal(row.Length, reader.GetValues(values));
        Assert.Equal("s", values[11]);
    }

    [Fact]
    public void A_decimal_recorded_raw_and_read_as_an_integer_keeps_every_digit_above_two_to_the_53()
    {
        // A numeric column mapped to a long property, recorded through GetValue (the tracked-rows path): a detour
        // through double would read 9007199254740993 as ...992 and 12345678901234567891 as a rounded ulong.
        object?[] row = [9007199254740993m, 12345678901234567891m, -9007199254740993.75m];
        CachedColumn[] columns = row.Select((v, i) => new CachedColumn($"c{i}", "numeric", typeof(decimal))).ToArray();
        using var reader = new ReplayDataReader(new CachedResult([new CachedResultSet(columns, [row])], -1));
        Assert.True(reader.Read());

        Assert.Equal(9007199254740993L, reader.GetInt64(0));
        Assert.Equal(9007199254740993L, reader.GetFieldValue<long?>(0));
        Assert.Equal(12345678901234567891UL, reader.GetFieldValue<ulong>(1));
        Assert.Equal(-9007199254740993L, reader.GetInt64(2));
    }

    [Theory]
    [InlineData(42L, typeof(int), 42)]
    [InlineData(1L, typeof(bool), true)]
    [InlineData(0L, typeof(bool), false)]
    [InlineData(65L, typeof(char), 'A')]
    [InlineData("Z", typeof(char), 'Z')]
    [InlineData(2.75d, typeof(int), 2)]
    [InlineData(7L, typeof(double), 7d)]
    [InlineData("3.5", typeof(double), 3.5d)]
    public void Stored_values_convert_like_Sqlite(object stored, Type target, object expected)
    {
        using var reader = SingleValue(stored, stored.GetType());
        Assert.True(reader.Read());

        object actual = target == typeof(int) ? reader.GetInt32(0)
            : target == typeof(bool) ? reader.GetBoolean(0)
            : target == typeof(char) ? (object)reader.GetChar(0)
            : reader.GetDouble(0);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Text_and_blob_convert_to_rich_types()
    {
        var guid = Guid.NewGuid();
        object?[] row = ["123.4500", guid.ToString(), guid.ToByteArray(), "2024-02-29 13:14:15.123", "2024-02-29 13:14:15+05:30", "2024-02-29", "13:14:15", "1.02:03:04", 2L, 2.5d, long.MaxValue];
        CachedColumn[] columns = row.Select((v, i) => new CachedColumn($"c{i}", "", v!.GetType())).ToArray();
        using var reader = new ReplayDataReader(new CachedResult([new CachedResultSet(columns, [row])], -1));
        Assert.True(reader.Read());

        Assert.Equal(123.4500m, reader.GetDecimal(0));
        Assert.Equal(4, decimal.GetBits(reader.GetDecimal(0))[3] >> 16 & 0xFF);
        Assert.Equal(guid, reader.GetGuid(1));
        Assert.Equal(guid, reader.GetGuid(2));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 14, 15, 123), reader.GetDateTime(3));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromMinutes(330)), reader.GetFieldValue<DateTimeOffset>(4));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(5));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetFieldValue<TimeOnly>(6));
        Assert.Equal(new TimeSpan(1, 2, 3, 4), reader.GetFieldValue<TimeSpan>(7));
        Assert.Equal(Status.Archived, reader.GetFieldValue<Status>(8));
        Assert.Equal(Status.Archived, reader.GetFieldValue<Status?>(8));
        Assert.Equal(2.5m, reader.GetDecimal(9));
        Assert.Throws<OverflowException>(() => reader.GetInt32(10));
        Assert.Throws<InvalidCastException>(() => reader.GetGuid(8));
    }

    [Fact]
    public void GetBytes_and_GetChars_follow_the_buffer_contract()
    {
        CachedColumn[] columns = [new("b", "BLOB", typeof(byte[])), new("s", "TEXT", typeof(string))];
        using var reader = new ReplayDataReader(new CachedResult([new CachedResultSet(columns, [[new byte[] { 1, 2, 3, 4, 5 }, "hello"]])], -1));
        Assert.True(reader.Read());

        Assert.Equal(5, reader.GetBytes(0, 0, null, 0, 0));
        byte[] buffer = new byte[4];
        Assert.Equal(3, reader.GetBytes(0, 2, buffer, 1, 10));
        Assert.Equal(new byte[] { 0, 3, 4, 5 }, buffer);
        Assert.Equal(0, reader.GetBytes(0, 5, buffer, 0, 4));
        Assert.Equal(5, reader.GetChars(1, 0, null, 0, 0));
        char[] chars = new char[3];
        Assert.Equal(3, reader.GetChars(1, 1, chars, 0, 3));
        Assert.Equal("ell", new string(chars));
        using var stream = reader.GetStream(0);
        Assert.Equal(5, stream.Length);
        Assert.Equal("hello", reader.GetTextReader(1).ReadToEnd());
    }

    [Fact]
    public void Walks_multiple_result_sets()
    {
        var result = new CachedResult(
        [
            StorageTestData.Products(2).ResultSets[0],
            new CachedResultSet([new("Count", "INTEGER", typeof(long))], [[7L]]),
            new CachedResultSet([new("Empty", "INTEGER", typeof(long))], []),
        ], 5);
        using var reader = new ReplayDataReader(result);

        Assert.True(reader.Read());
        Assert.True(reader.NextResult());
        Assert.Equal("Count", reader.GetName(0));
        Assert.Throws<InvalidOperationException>(() => reader.GetInt64(0));
        Assert.True(reader.Read());
        Assert.Equal(7L, reader.GetInt64(0));
        Assert.True(reader.NextResult());
        Assert.False(reader.HasRows);
        Assert.False(reader.Read());
        Assert.False(reader.NextResult());
        Assert.Equal(0, reader.FieldCount);
        Assert.False(reader.Read());
        Assert.Equal(5, reader.RecordsAffected);
    }

    [Fact]
    public void Closed_reader_refuses_reads()
    {
        var reader = new ReplayDataReader(StorageTestData.Products(2));
        reader.Close();

        Assert.True(reader.IsClosed);
        Assert.Throws<InvalidOperationException>(() => reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.NextResult());
        Assert.Throws<InvalidOperationException>(() => reader.FieldCount);
        reader.Dispose();
    }

    [Fact]
    public async Task Async_members_return_the_same_values_and_honour_cancellation()
    {
        await using var reader = new ReplayDataReader(StorageTestData.Products(1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.True(reader.ReadAsync(cancelled.Token).IsCanceled);
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.IsDBNullAsync(5, cancelled.Token).IsCanceled);
        Assert.True(reader.GetFieldValueAsync<int>(0, cancelled.Token).IsCanceled);
        Assert.True(reader.NextResultAsync(cancelled.Token).IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cancelled.Token));
        Assert.Equal(1, await reader.GetFieldValueAsync<int>(0));
        Assert.True(await reader.IsDBNullAsync(5));
        await Assert.ThrowsAsync<InvalidCastException>(() => reader.GetFieldValueAsync<bool>(5));
        Assert.False(await reader.NextResultAsync());
    }

    [Fact]
    public void Enumerates_records()
    {
        using var reader = new ReplayDataReader(StorageTestData.Products(3));

        var names = reader.Cast<DbDataRecord>().Select(r => r.GetString(1)).ToList();

        Assert.Equal(["Product 1", "Product 2", "Product 3"], names);
    }

    [Fact]
    public void GetSchemaTable_is_not_supported() =>
        Assert.Throws<NotSupportedException>(() => new ReplayDataReader(StorageTestData.Products(0)).GetSchemaTable());

    private static ReplayDataReader SingleValue(object? value, Type fieldType) =>
        new(new CachedResult([new CachedResultSet([new("v", "", fieldType)], [[value]])], -1));

    [Fact]
    public void A_byte_array_leaves_as_a_copy_so_writing_into_it_leaves_the_shared_rows_alone()
    {
        CachedColumn[] columns = [new("b", "BLOB", typeof(byte[]))];
        var result = new CachedResult([new CachedResultSet(columns, [[new byte[] { 1, 2, 3 }]])], -1);
        var values = new object[1];
        using (var reader = new ReplayDataReader(result))
        {
            Assert.True(reader.Read());
            reader.GetFieldValue<byte[]>(0)[0] = 9;
            ((byte[])reader.GetValue(0))[0] = 9;
            ((byte[])reader.GetFieldValue<object>(0))[0] = 9;
            reader.GetValues(values);
            ((byte[])values[0])[0] = 9;
        }

        using var next = new ReplayDataReader(result);
        Assert.True(next.Read());
        Assert.Equal(new byte[] { 1, 2, 3 }, next.GetFieldValue<byte[]>(0));
    }

    [Fact]
    public void Arrays_and_lists_leave_as_copies_so_writing_into_them_leaves_the_shared_rows_alone()
    {
        CachedColumn[] columns = [new("scores", "integer[]", typeof(int[])), new("labels", "text[]", typeof(List<string>))];
        var result = new CachedResult([new CachedResultSet(columns, [[new[] { 1, 2 }, new List<string> { "a" }]])], -1);
        using (var reader = new ReplayDataReader(result))
        {
            Assert.True(reader.Read());
            reader.GetFieldValue<int[]>(0)[0] = 9;
            ((int[])reader.GetValue(0))[1] = 9;
            reader.GetFieldValue<List<string>>(1).Add("b");
            ((List<string>)reader.GetFieldValue<object>(1))[0] = "z";
        }

        using var next = new ReplayDataReader(result);
        Assert.True(next.Read());
        Assert.Equal([1, 2], next.GetFieldValue<int[]>(0));
        Assert.Equal(["a"], next.GetFieldValue<List<string>>(1));
    }
}
