using System.Buffers;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

/// <summary>
/// A PostgreSQL enum recorded with <c>GetValue</c> keeps its label (<see cref="EnumWithLabel"/>): the codec stores both,
/// a hit reads the label as a string and the number as anything else, and a malformed one is a format error.
/// </summary>
public sealed class EnumWithLabelUnitTests
{
    private enum Mood : short
    {
        Grumpy = -3,
    }

    [Fact]
    public void The_codec_keeps_the_number_and_the_label()
    {
        var read = Assert.IsType<EnumWithLabel>(RoundTrip(new EnumWithLabel((short)-3, "grümpy")));

        Assert.Equal((short)-3, read.Value);
        Assert.Equal("grümpy", read.Label);
    }

    [Fact]
    public void A_hit_reads_the_label_as_a_string_and_the_number_as_anything_else()
    {
        var cell = new EnumWithLabel((short)-3, "grumpy");

        Assert.Equal("grumpy", ValueConverter.ChangeType(cell, typeof(string)));
        Assert.Equal(Mood.Grumpy, ValueConverter.ChangeType(cell, typeof(Mood)));
        Assert.Equal(Mood.Grumpy, ValueConverter.ChangeType(cell, typeof(Mood?)));
        Assert.Equal(-3L, ValueConverter.ChangeType(cell, typeof(long)));
        Assert.Equal((short)-3, MutableValues.Copy(cell)); // GetValue: the number, as before
        Assert.Throws<InvalidCastException>(() => ValueConverter.ChangeType(cell, typeof(Guid)));
    }

    [Fact]
    public void A_label_that_is_not_valid_utf16_or_a_value_that_is_not_an_integer_is_not_written()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.False(ValueCodec.TryWrite(writer, new EnumWithLabel(1, "\uD800")));
        Assert.False(ValueCodec.TryWrite(writer, new EnumWithLabel("1", "one")));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void An_entry_whose_enum_value_is_not_an_integer_is_a_format_error()
    {
        byte[] payload = [(byte)ValueTypeCode.EnumWithLabel, (byte)ValueTypeCode.String, 1, (byte)'1', 1, (byte)'a'];

        Assert.Throws<CacheEntryFormatException>(() =>
        {
            var reader = new PayloadReader(payload);
            ValueCodec.Read(ref reader);
        });
    }

    private static object? RoundTrip(object value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(ValueCodec.TryWrite(writer, value));
        var reader = new PayloadReader(writer.WrittenSpan);
        var read = ValueCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return read;
    }
}
