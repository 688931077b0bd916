using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace EfRedisCache.Storage;

/// <summary>
/// The primitive encodings of the cache format (little endian, LEB128 varints, length-prefixed UTF-8), shared by
/// <see cref="ValueCodec"/> and <see cref="CachedResultSerializer"/> so the two cannot drift apart.
/// </summary>
internal static class BufferWriterExtensions
{
    public const int MaxVarIntBytes = 10;

    public static void WriteByte(this IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void WriteVarUInt64(this IBufferWriter<byte> writer, ulong value)
    {
        Span<byte> span = writer.GetSpan(MaxVarIntBytes);
        writer.Advance(WriteVarUInt64(span, value));
    }

    /// <summary>Zigzag, so small negative numbers stay small.</summary>
    public static void WriteVarInt64(this IBufferWriter<byte> writer, long value) =>
        writer.WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    public static void WriteInt16(this IBufferWriter<byte> writer, short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    public static void WriteInt64(this IBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static void WriteLengthPrefixed(this IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        writer.WriteVarUInt64((ulong)bytes.Length);
        if (bytes.Length > 0)
        {
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
        }
    }

    /// <summary>
    /// Writes <paramref name="header"/> (a type code, or nothing), a varint byte length and the UTF-8 bytes, in one
    /// pass over the string. Returns false, writing nothing, when the string is not valid UTF-16 (a lone
    /// surrogate): UTF-8 cannot carry it without replacing it, and a silently changed string is a wrong answer.
    /// </summary>
    public static bool TryWriteUtf8(this IBufferWriter<byte> writer, string value, ReadOnlySpan<byte> header)
    {
        // Transcode behind a gap wide enough for the largest prefix, then close the gap: no second pass to count.
        int gap = header.Length + MaxVarIntBytes;
        int maxBytes = checked(value.Length * 3);
        Span<byte> span = writer.GetSpan(gap + maxBytes);
        OperationStatus status = Utf8.FromUtf16(
            value, span.Slice(gap, maxBytes), out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[MaxVarIntBytes];
        int prefixLength = WriteVarUInt64(prefix, (ulong)written);
        span.Slice(gap, written).CopyTo(span[(header.Length + prefixLength)..]);
        header.CopyTo(span);
        prefix[..prefixLength].CopyTo(span[header.Length..]);
        writer.Advance(header.Length + prefixLength + written);
        return true;
    }

    private static int WriteVarUInt64(Span<byte> span, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }
}
