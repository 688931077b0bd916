using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EfRedisCache.Storage;

/// <summary>
/// Encodes one scalar as a <see cref="ValueTypeCode"/> byte and a compact body. It is the only place that knows
/// how a value looks in bytes: cache entries use it for cells and the key builder uses it to hash parameter values,
/// so <see cref="TryWrite"/> is deterministic (the same value always gives the same bytes) and never throws for a
/// type it does not know; it returns false and the caller decides (skip caching, or refuse to build a key).
/// </summary>
internal static partial class ValueCodec
{
    /// <summary>The kind bits of a local time stored as its instant (<see cref="WriteDateTime"/>); 0–2 are <see cref="DateTimeKind"/>.</summary>
    private const ulong LocalInstantKindBits = 3;

    /// <summary><see cref="DateTime.MaxValue"/>'s ticks less a day: a later local time keeps its wall clock.</summary>
    private const long MaxTicksOfLocalInstant = 3_155_378_975_999_999_999 - TimeSpan.TicksPerDay;

    /// <summary>True when values of <paramref name="type"/> (or of its enum's underlying type) can be written.</summary>
    public static bool IsSupported(Type type) => TryGetTypeCode(type, out _) || CollectionShape.Of(type) is not null;

    /// <summary>The code a column of <paramref name="type"/> is written with; false for types outside the codec.</summary>
    public static bool TryGetTypeCode(Type type, out ValueTypeCode code)
    {
        code = Type.GetTypeCode(type) switch
        {
            TypeCode.DBNull => ValueTypeCode.Null,
            TypeCode.Boolean => ValueTypeCode.True,
            TypeCode.Byte => ValueTypeCode.Byte,
            TypeCode.SByte => ValueTypeCode.SByte,
            TypeCode.Int16 => ValueTypeCode.Int16,
            TypeCode.UInt16 => ValueTypeCode.UInt16,
            TypeCode.Int32 => ValueTypeCode.Int32,
            TypeCode.UInt32 => ValueTypeCode.UInt32,
            TypeCode.Int64 => ValueTypeCode.Int64,
            TypeCode.UInt64 => ValueTypeCode.UInt64,
            TypeCode.Single => ValueTypeCode.Single,
            TypeCode.Double => ValueTypeCode.Double,
            TypeCode.Decimal => ValueTypeCode.Decimal,
            TypeCode.String => ValueTypeCode.String,
            TypeCode.Char => ValueTypeCode.Char,
            TypeCode.DateTime => ValueTypeCode.DateTime,
            _ when type == typeof(Guid) => ValueTypeCode.Guid,
            _ when type == typeof(DateTimeOffset) => ValueTypeCode.DateTimeOffset,
            _ when type == typeof(DateOnly) => ValueTypeCode.DateOnly,
            _ when type == typeof(TimeOnly) => ValueTypeCode.TimeOnly,
            _ when type == typeof(TimeSpan) => ValueTypeCode.TimeSpan,
            _ when type == typeof(byte[]) => ValueTypeCode.Bytes,
            _ => ValueTypeCode.TypeName,
        };
        return code != ValueTypeCode.TypeName;
    }

    /// <summary>Writes <paramref name="value"/>; returns false, having written nothing, for an unsupported type.</summary>
    public static bool TryWrite(IBufferWriter<byte> writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteByte((byte)ValueTypeCode.Null);
                return true;
            case string s:
                return TryWriteString(writer, s);
            case byte[] bytes:
                writer.WriteByte((byte)ValueTypeCode.Bytes);
                writer.WriteLengthPrefixed(bytes);
                return true;
            case Enum:
                return TryWriteEnum(writer, value);
            case System.Collections.IList list when CollectionShape.Of(value.GetType()) is { } shape:
                WriteCollection(writer, list, shape);
                return true;
            case RealWithText real:
                return TryWriteRealWithText(writer, real);
            case EnumWithLabel labelled:
                return TryWriteEnumWithLabel(writer, labelled);
            default:
                return TryWriteScalar(writer, value);
        }
    }

    private static bool TryWriteScalar(IBufferWriter<byte> writer, object value)
    {
        switch (value)
        {
            case bool b: writer.WriteByte((byte)(b ? ValueTypeCode.True : ValueTypeCode.False)); break;
            case byte b: WriteCode(writer, ValueTypeCode.Byte); writer.WriteByte(b); break;
            case sbyte b: WriteCode(writer, ValueTypeCode.SByte); writer.WriteByte((byte)b); break;
            case short n: WriteCode(writer, ValueTypeCode.Int16); writer.WriteVarInt64(n); break;
            case ushort n: WriteCode(writer, ValueTypeCode.UInt16); writer.WriteVarUInt64(n); break;
            case int n: WriteCode(writer, ValueTypeCode.Int32); writer.WriteVarInt64(n); break;
            case uint n: WriteCode(writer, ValueTypeCode.UInt32); writer.WriteVarUInt64(n); break;
            case long n: WriteCode(writer, ValueTypeCode.Int64); writer.WriteVarInt64(n); break;
            case ulong n: WriteCode(writer, ValueTypeCode.UInt64); writer.WriteVarUInt64(n); break;
            case float f: WriteCode(writer, ValueTypeCode.Single); WriteFixed(writer, BitConverter.SingleToInt32Bits(f)); break;
            case double d: WriteCode(writer, ValueTypeCode.Double); writer.WriteInt64(BitConverter.DoubleToInt64Bits(d)); break;
            case decimal m: WriteDecimal(writer, m); break;
            case char c: WriteCode(writer, ValueTypeCode.Char); writer.WriteVarUInt64(c); break;
            case Guid g: WriteGuid(writer, g); break;
            case DateTime dt: WriteDateTime(writer, dt); break;
            case DateTimeOffset dto:
                WriteCode(writer, ValueTypeCode.DateTimeOffset);
                writer.WriteInt64(dto.Ticks);
                writer.WriteInt16((short)dto.TotalOffsetMinutes);
                break;
            case DateOnly d: WriteCode(writer, ValueTypeCode.DateOnly); writer.WriteVarUInt64((ulong)d.DayNumber); break;
            case TimeOnly t: WriteCode(writer, ValueTypeCode.TimeOnly); writer.WriteVarUInt64((ulong)t.Ticks); break;
            case TimeSpan t: WriteCode(writer, ValueTypeCode.TimeSpan); writer.WriteVarInt64(t.Ticks); break;
            default: return false;
        }

        return true;
    }

    private static bool TryWriteString(IBufferWriter<byte> writer, string value)
    {
        ReadOnlySpan<byte> header = [(byte)ValueTypeCode.String];
        if (!writer.TryWriteUtf8(value, header))
        {
            // Not valid UTF-16: keep the exact code units rather than let UTF-8 replace the lone surrogate.
            WriteCode(writer, ValueTypeCode.StringUtf16);
            WriteUtf16(writer, value);
        }

        return true;
    }

    private static bool TryWriteRealWithText(IBufferWriter<byte> writer, RealWithText real)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)ValueTypeCode.RealWithText;
        BinaryPrimitives.WriteInt64LittleEndian(header[1..], BitConverter.DoubleToInt64Bits(real.Value));
        return writer.TryWriteUtf8(real.Text, header);
    }

    private static bool TryWriteEnumWithLabel(IBufferWriter<byte> writer, EnumWithLabel labelled)
    {
        if (!IsInteger(labelled.Value))
        {
            return false;
        }

        // The code and the number, then the label as the codec writes text: nothing written when it is not valid UTF-16.
        var header = new ArrayBufferWriter<byte>(2 + BufferWriterExtensions.MaxVarIntBytes);
        WriteCode(header, ValueTypeCode.EnumWithLabel);
        TryWriteScalar(header, labelled.Value);
        return writer.TryWriteUtf8(labelled.Label, header.WrittenSpan);
    }

    private static bool IsInteger(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static bool TryWriteEnum(IBufferWriter<byte> writer, object value)
    {
        Type underlying = Enum.GetUnderlyingType(value.GetType());
        return Type.GetTypeCode(underlying) switch
        {
            TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int16
                or TypeCode.UInt16 or TypeCode.Byte or TypeCode.SByte =>
                TryWriteScalar(writer, Convert.ChangeType(value, underlying, System.Globalization.CultureInfo.InvariantCulture)),
            _ => false,
        };
    }

    private static void WriteCode(IBufferWriter<byte> writer, ValueTypeCode code) => writer.WriteByte((byte)code);

    /// <summary>
    /// Ticks with the kind in the top two bits. A <see cref="DateTimeKind.Local"/> value is an instant shown in the
    /// storing process's zone (Npgsql's legacy <c>timestamptz</c>, Microsoft.Data.Sqlite's text with an offset): it is
    /// stored as that instant, under <see cref="LocalInstantKindBits"/>, and read in the reading process's zone, as the
    /// database gives it there (<c>ReadPath/Values/LocalDateTimeAcrossZonesTests</c>). Its wall clock would be another
    /// instant in a process in another zone, and in the hour daylight saving repeats either of two. The first and last
    /// days keep their wall clock: <see cref="DateTime.MinValue"/> and <see cref="DateTime.MaxValue"/> stand for
    /// infinity, and an instant near them may not fit a <see cref="DateTime"/>.
    /// </summary>
    private static void WriteDateTime(IBufferWriter<byte> writer, DateTime value)
    {
        WriteCode(writer, ValueTypeCode.DateTime);
        writer.WriteInt64(value.Kind == DateTimeKind.Local && value.Ticks is > TimeSpan.TicksPerDay and < MaxTicksOfLocalInstant
            ? (long)((ulong)value.ToUniversalTime().Ticks | (LocalInstantKindBits << 62))
            : value.Ticks | ((long)value.Kind << 62));
    }

    private static void WriteFixed(IBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    /// <summary>
    /// Exact: sign and scale in one byte, then the 96-bit integer as a 64-bit and a 32-bit varint, so 123.45m
    /// costs five bytes instead of sixteen while 1.0m and 1.00m keep their different scales.
    /// </summary>
    private static void WriteDecimal(IBufferWriter<byte> writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int flags = bits[3];
        WriteCode(writer, ValueTypeCode.Decimal);
        writer.WriteByte((byte)(((flags >> 16) & 0xFF) | (flags < 0 ? 0x80 : 0)));
        writer.WriteVarUInt64((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
        writer.WriteVarUInt64((uint)bits[2]);
    }

    private static void WriteGuid(IBufferWriter<byte> writer, Guid value)
    {
        WriteCode(writer, ValueTypeCode.Guid);
        Span<byte> span = writer.GetSpan(16);
        _ = value.TryWriteBytes(span);
        writer.Advance(16);
    }

    private static void WriteUtf16(IBufferWriter<byte> writer, string value)
    {
        writer.WriteVarUInt64((ulong)value.Length);
        ReadOnlySpan<byte> raw = MemoryMarshal.AsBytes(value.AsSpan());
        Span<byte> span = writer.GetSpan(raw.Length);
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], value[i]);
        }

        writer.Advance(raw.Length);
    }
}
