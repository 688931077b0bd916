using System.Buffers;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

/// <summary>Arrays and lists of scalars, as Npgsql returns PostgreSQL arrays: the exact CLR shape must come back.</summary>
public sealed class ValueCodecCollectionsUnitTests
{
    public static TheoryData<object> Collections() => new()
    {
        new[] { 1, -2, int.MaxValue },
        new int?[] { 1, null, 3 },
        new[] { "a", null, "\uD800 lone", "" },
        new List<string> { "x", "y" },
        new List<int?> { null },
        new[] { true, false },
        new[] { 1.5m, 2.50m },
        new[] { new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified) },
        new List<Guid> { Guid.Parse("00112233-4455-6677-8899-aabbccddeeff") },
        new[] { TimeSpan.FromMinutes(3) },
        Array.Empty<long>(),
        new List<double>(),
    };

    [Theory]
    [MemberData(nameof(Collections))]
    public void Round_trip_keeps_the_collection_type_and_every_element(object collection)
    {
        var read = RoundTrip(collection);

        Assert.NotNull(read);
        Assert.Equal(collection.GetType(), read.GetType());
        Assert.NotSame(collection, read);
        Assert.Equal(((System.Collections.IEnumerable)collection).Cast<object?>(), ((System.Collections.IEnumerable)read).Cast<object?>());
        if (collection is DateTime[] dates)
        {
            Assert.Equal(dates.Select(d => d.Kind), ((DateTime[])read).Select(d => d.Kind));
        }

        if (collection is decimal[] decimals)
        {
            Assert.Equal(decimals.Select(d => d.Scale), ((decimal[])read).Select(d => d.Scale));
        }
    }

    [Fact]
    public void Arrays_lists_and_element_types_are_told_apart_and_writing_is_deterministic()
    {
        byte[][] encodings =
        [
            Write(new[] { 1, 2 }),
            Write(new List<int> { 1, 2 }),
            Write(new long[] { 1, 2 }),
            Write(new int?[] { 1, 2 }),
            Write(new[] { 2, 1 }),
        ];

        Assert.Equal(encodings.Length, encodings.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(encodings[0], Write(new[] { 1, 2 }));
    }

    [Theory]
    [InlineData("ArrayOfInt32-with-a-string")]
    [InlineData("null-in-int-array")]
    [InlineData("nullable-strings")]
    [InlineData("count-beyond-payload")]
    [InlineData("array-of-arrays")]
    public void Malformed_collections_throw_CacheEntryFormatException(string corruption)
    {
        byte[] payload = corruption switch
        {
            // code Array, element Int32, not nullable, 1 element: a string "a"
            "ArrayOfInt32-with-a-string" => [(byte)ValueTypeCode.Array, (byte)ValueTypeCode.Int32, 0, 1, (byte)ValueTypeCode.String, 1, (byte)'a'],
            "null-in-int-array" => [(byte)ValueTypeCode.Array, (byte)ValueTypeCode.Int32, 0, 1, (byte)ValueTypeCode.Null],
            "nullable-strings" => [(byte)ValueTypeCode.Array, (byte)ValueTypeCode.String, 1, 0],
            "count-beyond-payload" => [(byte)ValueTypeCode.List, (byte)ValueTypeCode.Int32, 0, 100, (byte)ValueTypeCode.Int32, 2],
            _ => [(byte)ValueTypeCode.Array, (byte)ValueTypeCode.Array, 0, 0],
        };

        Assert.Throws<CacheEntryFormatException>(() =>
        {
            var reader = new PayloadReader(payload);
            ValueCodec.Read(ref reader);
        });
    }

    private static byte[] Write(object value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(ValueCodec.TryWrite(writer, value));
        return writer.WrittenSpan.ToArray();
    }

    private static object? RoundTrip(object value)
    {
        var reader = new PayloadReader(Write(value));
        var read = ValueCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return read;
    }
}
