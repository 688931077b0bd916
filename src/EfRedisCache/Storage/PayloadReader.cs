using System.Buffers.Binary;

namespace EfRedisCache.Storage;

/// <summary>
/// A forward-only cursor over a cache payload. Every read checks the remaining length first and throws
/// <see cref="CacheEntryFormatException"/>, so a truncated or corrupted entry can never surface as an
/// <see cref="IndexOutOfRangeException"/> or a huge allocation.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _span.Length)
        {
            throw Truncated();
        }

        return _span[_position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            throw Truncated();
        }

        ReadOnlySpan<byte> result = _span.Slice(_position, count);
        _position += count;
        return result;
    }

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(ReadBytes(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    /// <summary>Reads a LEB128 varint; rejects encodings longer than ten bytes or overflowing 64 bits.</summary>
    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw new CacheEntryFormatException("Varint overflows 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new CacheEntryFormatException("Varint is too long.");
    }

    public long ReadVarInt64()
    {
        ulong zigzag = ReadVarUInt64();
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }

    /// <summary>Reads a length or count and checks it against <paramref name="max"/> before anyone allocates for it.</summary>
    public int ReadLength(int max)
    {
        ulong value = ReadVarUInt64();
        if (value > (ulong)max)
        {
            throw new CacheEntryFormatException($"Length {value} exceeds the limit {max}.");
        }

        return (int)value;
    }

    private static CacheEntryFormatException Truncated() => new("The cache entry is truncated.");
}
