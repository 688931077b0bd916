using System.Text.Json;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

public class CachedResultSerializerUnitTests
{
    [Fact]
    public void Round_trips_every_supported_type_in_one_result()
    {
        object?[] values = [.. ValueCodecUnitTests.EdgeValueList(), null];
        CachedColumn[] columns = values
            .Select((v, i) => new CachedColumn($"c{i}", "ANY", v?.GetType() ?? typeof(object)))
            .ToArray();
        var result = new CachedResult([new CachedResultSet(columns, [values, values.ToArray()])], 3);

        CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result, int.MaxValue));

        StorageTestData.AssertEqual(result, read);
    }

    [Fact]
    public void Round_trips_multiple_result_sets_zero_rows_and_zero_columns()
    {
        var result = new CachedResult(
        [
            StorageTestData.Products(3).ResultSets[0],
            new CachedResultSet([new CachedColumn("X", "INTEGER", typeof(long))], []),
            new CachedResultSet([], []),
            new CachedResultSet([new CachedColumn("Naïve 名前", "", typeof(string))], [["only"]]),
        ], 42);

        CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result));

        StorageTestData.AssertEqual(result, read);
    }

    [Theory]
    [InlineData("INTEGER")]
    [InlineData("timestamp with time zone")]
    [InlineData("nvarchar")]
    [InlineData("integer[]")]
    [InlineData("Integer")]
    [InlineData("")]
    [InlineData(null)]
    public void Round_trips_provider_type_names_known_or_not(string? dataTypeName)
    {
        var result = new CachedResult([new CachedResultSet([new CachedColumn("A", dataTypeName!, typeof(int))], [[1]])], -1);

        CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result));

        Assert.Equal(dataTypeName ?? string.Empty, read.ResultSets[0].Columns[0].DataTypeName);
    }

    [Fact]
    public void A_well_known_provider_type_name_takes_one_byte()
    {
        static int SizeWith(string dataTypeName)
            => StorageTestData.Serialize(new CachedResult([new CachedResultSet([new CachedColumn("A", dataTypeName, typeof(int))], [[1]])], -1)).Length;

        Assert.Equal(SizeWith(""), SizeWith("timestamp with time zone"));
        Assert.Equal(SizeWith("") + 1 + "integer[]".Length, SizeWith("integer[]"));
    }

    [Fact]
    public void Round_trips_an_empty_result_and_negative_records_affected()
    {
        var result = new CachedResult([], -1);

        CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result));

        Assert.Empty(read.ResultSets);
        Assert.Equal(-1, read.RecordsAffected);
    }

    [Fact]
    public void Column_types_outside_the_codec_travel_by_name()
    {
        CachedColumn[] columns = [new("Geo", "geometry", typeof(Uri)), new("Any", "sql_variant", typeof(object))];
        var result = new CachedResult([new CachedResultSet(columns, [[null, 5]])], -1);

        CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result));

        Assert.Equal(typeof(Uri), read.ResultSets[0].Columns[0].FieldType);
        Assert.Equal(typeof(object), read.ResultSets[0].Columns[1].FieldType);
    }

    [Fact]
    public void A_column_type_that_cannot_be_loaded_is_a_format_error()
    {
        CachedColumn[] columns = [new("Geo", "geometry", typeof(CachedResultSerializerUnitTests))];
        byte[] payload = StorageTestData.Serialize(new CachedResult([new CachedResultSet(columns, [])], -1));
        string name = typeof(CachedResultSerializerUnitTests).AssemblyQualifiedName!;
        byte[] renamed = CorruptionHelper.Replace(payload, name, name.Replace("UnitTests,", "UnitTestz,", StringComparison.Ordinal));

        Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(renamed));
    }

    [Fact]
    public void Unsupported_values_are_refused_with_a_reason()
    {
        var result = new CachedResult([new CachedResultSet([new("X", "", typeof(object))], [[new object()]])], -1);

        bool ok = CachedResultSerializer.TrySerialize(result, 1 << 20, out byte[]? payload, out string? reason);

        Assert.False(ok);
        Assert.Null(payload);
        Assert.Contains("System.Object", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_over_the_size_limit_are_refused_without_building_them_whole()
    {
        CachedResult big = StorageTestData.Products(10_000);
        int fullSize = StorageTestData.Serialize(big, int.MaxValue).Length;

        bool ok = CachedResultSerializer.TrySerialize(big, 1000, out byte[]? payload, out string? reason);

        Assert.False(ok);
        Assert.Null(payload);
        Assert.Contains("1000", reason, StringComparison.Ordinal);
        Assert.True(fullSize > 100_000);
        Assert.True(CachedResultSerializer.TrySerialize(big, fullSize, out _, out _), "exactly the limit must fit");
        Assert.False(CachedResultSerializer.TrySerialize(big, fullSize - 1, out _, out _));
    }

    [Fact]
    public void A_single_huge_value_is_refused_before_it_is_copied()
    {
        var huge = new CachedResult([new CachedResultSet([new("B", "BLOB", typeof(byte[]))], [[new byte[50_000_000]]])], -1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = CachedResultSerializer.TrySerialize(huge, 1 << 20, out _, out string? reason);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(ok);
        Assert.NotNull(reason);
        Assert.True(allocated < 10_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Payload_is_smaller_than_System_Text_Json_of_the_same_rows()
    {
        CachedResult result = StorageTestData.Products(50);
        CachedResultSet set = result.ResultSets[0];

        int binary = StorageTestData.Serialize(result).Length;
        int json = JsonSerializer.SerializeToUtf8Bytes(set.Rows).Length;

        // The binary payload also carries the column names and types; JSON here has the bare rows only.
        Assert.True(binary < json, $"binary {binary} bytes, JSON {json} bytes");
    }

    [Fact]
    public void Payload_starts_with_magic_and_version()
    {
        byte[] payload = StorageTestData.Serialize(StorageTestData.Products(1));

        Assert.Equal("EFRC"u8.ToArray(), payload[..4]);
        Assert.Equal(CachedResultSerializer.FormatVersion, payload[4]);
    }
}
