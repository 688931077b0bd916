using System.Buffers;
using System.Collections;

namespace EfRedisCache.Storage;

/// <summary>
/// Collections of scalars, as PostgreSQL returns its arrays through Npgsql (<c>int[]</c>, <c>List&lt;string&gt;</c>,
/// <c>int?[]</c>): one element code, whether elements are <see cref="Nullable{T}"/>, the count, then each element
/// as a value of its own. The exact CLR shape (array or list, element type) comes back, so EF Core's typed
/// getters see what the provider gave them. Enum elements, nested collections and other element types are
/// outside the codec: such a result is not cached, and such a parameter makes its query uncacheable.
/// </summary>
internal static partial class ValueCodec
{
    /// <summary>True for <c>T[]</c> (one dimension, not <c>byte[]</c>) and <c>List&lt;T&gt;</c> of a scalar <c>T</c> or <c>T?</c>.</summary>
    private static bool IsCollection(Type type, out Type element, out bool isList)
    {
        isList = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
        element = isList ? type.GetGenericArguments()[0]
            : type.IsSZArray && type != typeof(byte[]) ? type.GetElementType()!
            : typeof(void);
        var scalar = Nullable.GetUnderlyingType(element) ?? element;
        return element != typeof(void) && !scalar.IsEnum && scalar != typeof(byte[]) && scalar != typeof(DBNull)
            && TryGetTypeCode(scalar, out _);
    }

    private static void WriteCollection(IBufferWriter<byte> writer, IList values, Type element, bool isList)
    {
        var nullable = Nullable.GetUnderlyingType(element);
        TryGetTypeCode(nullable ?? element, out var elementCode);
        WriteCode(writer, isList ? ValueTypeCode.List : ValueTypeCode.Array);
        writer.WriteByte((byte)elementCode);
        writer.WriteByte(nullable is null ? (byte)0 : (byte)1);
        writer.WriteVarUInt64((ulong)values.Count);
        foreach (var value in values)
        {
            // Every element has the collection's scalar type (or is null), which the codec writes.
            TryWrite(writer, value);
        }
    }

    private static object ReadCollection(ref PayloadReader reader, bool isList)
    {
        var elementCode = (ValueTypeCode)reader.ReadByte();
        if (elementCode is ValueTypeCode.Null or ValueTypeCode.Bytes or ValueTypeCode.Array or ValueTypeCode.List)
        {
            throw new CacheEntryFormatException($"A collection cannot hold values of type code {(byte)elementCode}.");
        }

        var scalar = TypeForCode(elementCode);
        var nullable = reader.ReadByte() switch
        {
            0 => false,
            1 when scalar.IsValueType => true,
            _ => throw new CacheEntryFormatException("A collection's nullable flag is malformed."),
        };
        var element = nullable ? typeof(Nullable<>).MakeGenericType(scalar) : scalar;
        var count = reader.ReadLength(MaxLength);
        if (count > reader.Remaining)
        {
            throw new CacheEntryFormatException("A collection declares more elements than the payload holds.");
        }

        var array = System.Array.CreateInstance(element, count);
        for (var i = 0; i < count; i++)
        {
            var value = ReadUnchecked(ref reader);
            if (value is null ? scalar.IsValueType && !nullable : value.GetType() != scalar)
            {
                throw new CacheEntryFormatException($"A collection of {element} holds a value of another type.");
            }

            array.SetValue(value, i);
        }

        return isList ? Activator.CreateInstance(typeof(List<>).MakeGenericType(element), array)! : array;
    }
}
