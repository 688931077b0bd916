using System.Buffers;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

public class ValueCodecUnitTests
{
    public enum Color : short
    {
        Red = 1,
        Blue = -7,
    }

    public static TheoryData<object> EdgeValues() => new(EdgeValueList());

    internal static object[] EdgeValueList() =>
    [
        true, false,
        (byte)0, byte.MaxValue, sbyte.MinValue, (sbyte)-1,
        short.MinValue, short.MaxValue, ushort.MaxValue,
        0, -1, int.MinValue, int.MaxValue, uint.MaxValue,
        0L, long.MinValue, long.MaxValue, ulong.MaxValue,
        float.MinValue, float.Epsilon, float.NaN, float.PositiveInfinity,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0d, double.Epsilon, Math.PI,
        decimal.MaxValue, decimal.MinValue, 0.1m, 1.00m, -0.0000000000000000000000000001m, 0m, 123.45m,
        string.Empty, "plain", "日本語 🎉", new string('x', 100_000),
        'a', '\0', '\uffff',
        Guid.Empty, new Guid("7d6b5c7a-0f5e-4d3e-9a1b-2c3d4e5f6a7b"),
        new DateTime(2024, 2, 29, 13, 14, 15, 123, DateTimeKind.Utc).AddTicks(4567),
        new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Local),
        new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Unspecified),
        DateTime.MinValue, DateTime.MaxValue,
        new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromMinutes(330)).AddTicks(1),
        new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-14)),
        DateTimeOffset.MinValue, DateTimeOffset.MaxValue,
        new DateOnly(1, 1, 1), DateOnly.MaxValue, new DateOnly(2024, 12, 31),
        TimeOnly.MinValue, TimeOnly.MaxValue, new TimeOnly(23, 59, 59, 999),
        TimeSpan.Zero, TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.FromTicks(-1),
        Array.Empty<byte>(), new byte[] { 0, 1, 2, 255 },
    ];

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void Round_trip_preserves_type_and_value(object value)
    {
        object? read = RoundTrip(value);

        Assert.NotNull(read);
        Assert.Equal(value.GetType(), read.GetType());
        Assert.Equal(value, read);
        if (value is DateTime dt)
        {
            Assert.Equal(dt.Kind, ((DateTime)read).Kind);
        }

        if (value is DateTimeOffset dto)
        {
            Assert.Equal(dto.Offset, ((DateTimeOffset)read).Offset);
        }

        if (value is decimal m)
        {
            Assert.Equal(m.Scale, ((decimal)read).Scale);
            Assert.Equal(decimal.GetBits(m), decimal.GetBits((decimal)read));
        }
    }

    [Theory]
    [InlineData(-129L)]
    [InlineData(-128L)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(1023L)]
    [InlineData(1024L)]
    public void Integers_inside_and_outside_the_shared_boxes_keep_their_value_and_width(long value)
    {
        // Small values come back as shared boxes: an Int32 must never come back as an Int64 box or the reverse.
        var asInt = RoundTrip((int)value);
        var asLong = RoundTrip(value);
        Assert.IsType<int>(asInt);
        Assert.IsType<long>(asLong);
        Assert.Equal((int)value, (int)asInt!);
        Assert.Equal(value, (long)asLong!);
        Assert.Equal((int)value, (int)RoundTrip((int)value)!); // a second read of a shared box
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        var read = (double)RoundTrip(-0.0d)!;

        Assert.True(double.IsNegative(read));
    }

    [Fact]
    public void Null_and_DBNull_read_back_as_null()
    {
        Assert.Null(RoundTrip(null));
        Assert.Null(RoundTrip(DBNull.Value));
    }

    [Theory]
    [InlineData("\ud800")]
    [InlineData("a\udc00b")]
    [InlineData("\ud83d")]
    public void Strings_with_lone_surrogates_round_trip_exactly(string value)
    {
        var read = (string)RoundTrip(value)!;

        Assert.Equal(value.Length, read.Length);
        Assert.True(value.AsSpan().SequenceEqual(read), "code units changed");
    }

    [Fact]
    public void Enums_are_stored_as_their_underlying_value()
    {
        Assert.Equal((short)-7, RoundTrip(Color.Blue));
        Assert.Equal(Write(Color.Red), Write((short)1));
    }

    [Fact]
    public void Unsupported_types_return_false_and_write_nothing()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.False(ValueCodec.TryWrite(writer, new object()));
        Assert.False(ValueCodec.TryWrite(writer, new Color[] { Color.Red }));
        Assert.False(ValueCodec.TryWrite(writer, new int[,] { { 1 } }));
        Assert.False(ValueCodec.TryWrite(writer, new List<object> { 1 }));
        Assert.False(ValueCodec.TryWrite(writer, new byte[][] { [1] }));
        Assert.False(ValueCodec.TryWrite(writer, new Uri("http://x")));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Theory]
    [InlineData(typeof(int), true)]
    [InlineData(typeof(Color), true)]
    [InlineData(typeof(byte[]), true)]
    [InlineData(typeof(DateOnly), true)]
    [InlineData(typeof(DBNull), true)]
    [InlineData(typeof(object), false)]
    [InlineData(typeof(int[]), true)]
    [InlineData(typeof(List<string>), true)]
    [InlineData(typeof(int?[]), true)]
    [InlineData(typeof(Color[]), false)]
    [InlineData(typeof(List<object>), false)]
    [InlineData(typeof(int[][]), false)]
    [InlineData(typeof(int?), false)]
    public void IsSupported_matches_TryWrite(Type type, bool expected) => Assert.Equal(expected, ValueCodec.IsSupported(type));

    [Fact]
    public void Writing_is_deterministic_and_distinguishes_types_and_scales()
    {
        Assert.Equal(Write("abc"), Write("abc"));
        Assert.Equal(Write(1.5m), Write(1.5m));
        Assert.NotEqual(Write(1), Write(1L));
        Assert.NotEqual(Write(1.0m), Write(1.00m));
        Assert.NotEqual(Write(DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Local)), Write(DateTime.UnixEpoch));
        Assert.NotEqual(Write(string.Empty), Write(null));
    }

    [Fact]
    public void Small_numbers_are_compact()
    {
        Assert.Equal(2, Write(5).Length);
        Assert.Equal(2, Write(-5L).Length);
        Assert.Equal(5, Write(123.45m).Length);
    }

    [Theory]
    [InlineData(new byte[] { 200 })]                                   // unknown type code
    [InlineData(new byte[] { 7, 0x80 })]                               // truncated varint
    [InlineData(new byte[] { 7, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]        // int32 overflow
    [InlineData(new byte[] { 13, 29, 1, 0 })]                          // decimal scale 29
    [InlineData(new byte[] { 14, 2, 0xC3, 0x28 })]                     // invalid UTF-8
    [InlineData(new byte[] { 18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })] // DateTime out of range
    [InlineData(new byte[] { 19, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x27 })] // offset beyond 14h
    [InlineData(new byte[] { 20, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]       // DateOnly day number out of range
    [InlineData(new byte[] { 23, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]       // absurd byte[] length
    [InlineData(new byte[] { 9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })] // varint > 64 bits
    public void Malformed_input_throws_CacheEntryFormatException(byte[] payload)
    {
        Assert.Throws<CacheEntryFormatException>(() =>
        {
            var reader = new PayloadReader(payload);
            ValueCodec.Read(ref reader);
        });
    }

    private static byte[] Write(object? value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(ValueCodec.TryWrite(writer, value));
        return writer.WrittenSpan.ToArray();
    }

    private static object? RoundTrip(object? value)
    {
        byte[] bytes = Write(value);
        var reader = new PayloadReader(bytes);
        object? read = ValueCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return read;
    }
}
