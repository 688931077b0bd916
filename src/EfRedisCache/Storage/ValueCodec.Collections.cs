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
    private static void WriteCollection(IBufferWriter<byte> writer, IList values, CollectionShape shape)
    {
        WriteCode(writer, shape.IsList ? ValueTypeCode.List : ValueTypeCode.Array);
        writer.WriteByte((byte)shape.ElementCode);
        writer.WriteByte(shape.IsNullable ? (byte)1 : (byte)0);
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

        var nullable = reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            _ => throw new CacheEntryFormatException("A collection's nullable flag is malformed."),
        };
        var shape = CollectionShape.ForDecoding(elementCode, nullable, isList);
        var count = reader.ReadLength(MaxLength);
        if (count > reader.Remaining)
        {
            throw new CacheEntryFormatException("A collection declares more elements than the payload holds.");
        }

        var array = System.Array.CreateInstance(shape.Element, count);
        for (var i = 0; i < count; i++)
        {
            var value = ReadUnchecked(ref reader);
            if (value is null ? !shape.IsNullable && shape.Scalar.IsValueType : value.GetType() != shape.Scalar)
            {
                throw new CacheEntryFormatException($"A collection of {shape.Element} holds a value of another type.");
            }

            array.SetValue(value, i);
        }

        return shape.FromArray(array);
    }
}
