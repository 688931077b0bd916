using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace EfRedisCache.Storage;

/// <summary>The decoding half of <see cref="ValueCodec"/>: every malformed input is a <see cref="CacheEntryFormatException"/>.</summary>
internal static partial class ValueCodec
{
    /// <summary>The largest string or byte array a payload may declare; guards allocations against corrupt lengths.</summary>
    private const int MaxLength = int.MaxValue / 4;

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    /// <summary>Reads one value; <c>null</c> is SQL NULL. Enums come back as their underlying integer.</summary>
    public static object? Read(ref PayloadReader reader)
    {
        try
        {
            return ReadUnchecked(ref reader);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or InvalidCastException)
        {
            throw new CacheEntryFormatException("A value is out of range for its type.", ex);
        }
    }

    private static object? ReadUnchecked(ref PayloadReader reader)
    {
        var code = (ValueTypeCode)reader.ReadByte();
        return code switch
        {
            ValueTypeCode.Null => null,
            ValueTypeCode.False => BoxedFalse,
            ValueTypeCode.True => BoxedTrue,
            ValueTypeCode.Byte => reader.ReadByte(),
            ValueTypeCode.SByte => (sbyte)reader.ReadByte(),
            ValueTypeCode.Int16 => checked((short)reader.ReadVarInt64()),
            ValueTypeCode.UInt16 => checked((ushort)reader.ReadVarUInt64()),
            ValueTypeCode.Int32 => SmallIntegerBoxes.Box(checked((int)reader.ReadVarInt64())),
            ValueTypeCode.UInt32 => checked((uint)reader.ReadVarUInt64()),
            ValueTypeCode.Int64 => SmallIntegerBoxes.Box(reader.ReadVarInt64()),
            ValueTypeCode.UInt64 => reader.ReadVarUInt64(),
            ValueTypeCode.Single => BitConverter.Int32BitsToSingle(reader.ReadInt32()),
            ValueTypeCode.Double => BitConverter.Int64BitsToDouble(reader.ReadInt64()),
            ValueTypeCode.Decimal => ReadDecimal(ref reader),
            ValueTypeCode.String => ReadUtf8(ref reader),
            ValueTypeCode.StringUtf16 => ReadUtf16(ref reader),
            ValueTypeCode.Char => checked((char)reader.ReadVarUInt64()),
            ValueTypeCode.Guid => new Guid(reader.ReadBytes(16)),
            ValueTypeCode.DateTime => ReadDateTime(ref reader),
            ValueTypeCode.DateTimeOffset => ReadDateTimeOffset(ref reader),
            ValueTypeCode.DateOnly => DateOnly.FromDayNumber(checked((int)reader.ReadVarUInt64())),
            ValueTypeCode.TimeOnly => new TimeOnly(checked((long)reader.ReadVarUInt64())),
            ValueTypeCode.TimeSpan => new TimeSpan(reader.ReadVarInt64()),
            ValueTypeCode.Bytes => reader.ReadBytes(reader.ReadLength(MaxLength)).ToArray(),
            ValueTypeCode.Array => ReadCollection(ref reader, isList: false),
            ValueTypeCode.List => ReadCollection(ref reader, isList: true),
            ValueTypeCode.RealWithText => new RealWithText(BitConverter.Int64BitsToDouble(reader.ReadInt64()), ReadUtf8(ref reader)),
            ValueTypeCode.EnumWithLabel => ReadEnumWithLabel(ref reader),
            _ => throw new CacheEntryFormatException($"Unknown value type code {(byte)code}."),
        };
    }

    /// <summary>Reads a length-prefixed UTF-8 string (no type code), rejecting bytes that are not valid UTF-8.</summary>
    public static string ReadUtf8(ref PayloadReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes(reader.ReadLength(MaxLength));
        if (!Utf8.IsValid(bytes))
        {
            throw new CacheEntryFormatException("A string is not valid UTF-8.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The column type for a code written by <see cref="TryGetTypeCode"/>.</summary>
    public static Type TypeForCode(ValueTypeCode code) => code switch
    {
        ValueTypeCode.Null => typeof(DBNull),
        ValueTypeCode.True or ValueTypeCode.False => typeof(bool),
        ValueTypeCode.Byte => typeof(byte),
        ValueTypeCode.SByte => typeof(sbyte),
        ValueTypeCode.Int16 => typeof(short),
        ValueTypeCode.UInt16 => typeof(ushort),
        ValueTypeCode.Int32 => typeof(int),
        ValueTypeCode.UInt32 => typeof(uint),
        ValueTypeCode.Int64 => typeof(long),
        ValueTypeCode.UInt64 => typeof(ulong),
        ValueTypeCode.Single => typeof(float),
        ValueTypeCode.Double => typeof(double),
        ValueTypeCode.Decimal => typeof(decimal),
        ValueTypeCode.String => typeof(string),
        ValueTypeCode.Char => typeof(char),
        ValueTypeCode.Guid => typeof(Guid),
        ValueTypeCode.DateTime => typeof(DateTime),
        ValueTypeCode.DateTimeOffset => typeof(DateTimeOffset),
        ValueTypeCode.DateOnly => typeof(DateOnly),
        ValueTypeCode.TimeOnly => typeof(TimeOnly),
        ValueTypeCode.TimeSpan => typeof(TimeSpan),
        ValueTypeCode.Bytes => typeof(byte[]),
        _ => throw new CacheEntryFormatException($"Unknown column type code {(byte)code}."),
    };

    private static EnumWithLabel ReadEnumWithLabel(ref PayloadReader reader)
    {
        var value = ReadUnchecked(ref reader);
        return IsInteger(value)
            ? new EnumWithLabel(value!, ReadUtf8(ref reader))
            : throw new CacheEntryFormatException("An enum's value is not an integer.");
    }

    private static decimal ReadDecimal(ref PayloadReader reader)
    {
        byte signAndScale = reader.ReadByte();
        byte scale = (byte)(signAndScale & 0x7F);
        if (scale > 28)
        {
            throw new CacheEntryFormatException("A decimal has a scale above 28.");
        }

        ulong low = reader.ReadVarUInt64();
        ulong high = reader.ReadVarUInt64();
        if (high > uint.MaxValue)
        {
            throw new CacheEntryFormatException("A decimal overflows 96 bits.");
        }

        return new decimal((int)low, (int)(low >> 32), (int)high, (signAndScale & 0x80) != 0, scale);
    }

    private static DateTime ReadDateTime(ref PayloadReader reader)
    {
        long data = reader.ReadInt64();
        long ticks = data & 0x3FFF_FFFF_FFFF_FFFF;
        var kindBits = (ulong)data >> 62;
        if (ticks > DateTime.MaxValue.Ticks)
        {
            throw new CacheEntryFormatException("A DateTime is out of range.");
        }

        // A local time stored as its instant: shown in this process's zone, as the database shows it here.
        return kindBits == LocalInstantKindBits
            ? new DateTime(ticks, DateTimeKind.Utc).ToLocalTime()
            : new DateTime(ticks, (DateTimeKind)kindBits);
    }

    private static DateTimeOffset ReadDateTimeOffset(ref PayloadReader reader)
    {
        long ticks = reader.ReadInt64();
        short minutes = reader.ReadInt16();
        long utcTicks = ticks - (minutes * TimeSpan.TicksPerMinute);
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks || minutes is < -14 * 60 or > 14 * 60
            || (ulong)utcTicks > (ulong)DateTime.MaxValue.Ticks)
        {
            throw new CacheEntryFormatException("A DateTimeOffset is out of range.");
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    private static string ReadUtf16(ref PayloadReader reader)
    {
        int length = reader.ReadLength(MaxLength);
        ReadOnlySpan<byte> bytes = reader.ReadBytes(length * 2);
        char[] chars = new char[length];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        }

        return new string(chars);
    }
}
