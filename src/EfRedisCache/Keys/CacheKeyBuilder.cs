using System.Buffers;
using System.Data.Common;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using EfRedisCache.Storage;

namespace EfRedisCache.Keys;

/// <summary>
/// The entry key: XxHash128 of everything that decides a query's rows — the database, the connection string's
/// session settings, the context type and model, the SQL text and every parameter's name, type, size, precision,
/// scale, provider type and value. Nothing of it appears in clear text.
/// </summary>
internal static class CacheKeyBuilder
{
    /// <summary>Bumped when the key inputs or the entry format change, so old entries are never read.</summary>
    private const string KeySchema = "efrc-key-5"; // 3: payload format 2; 4: parameter size, precision, scale and provider types; session settings; 5: bindings before values

    /// <summary>A parameter whose value is <see langword="null"/>: no <see cref="ValueTypeCode"/> a value starts with.</summary>
    private const byte UnsetValue = 0xFE;

    /// <summary><see cref="Type.AssemblyQualifiedName"/> builds a new string on every call; a query needs it once per context type.</summary>
    private static readonly ConditionalWeakTable<Type, string> TypeNames = [];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The capacity of the buffer this thread keeps between keys, for tests of its bound.</summary>
    internal static int ThreadBufferCapacity => t_buffer?.Capacity ?? 0;

    /// <summary>
    /// The hash, as 32 hex characters, or <see langword="null"/> when a parameter value has a type the cache cannot
    /// encode or a parameter's type property cannot be read. <paramref name="session"/>: the connection string's
    /// session settings (<see cref="SessionSettings"/>).
    /// </summary>
    public static string? TryBuild(DbCommand command, string databaseId, ulong session, Type contextType, string modelHash)
        => TryBuild(command, databaseId, session, contextType, modelHash, out _);

    /// <summary>
    /// <see cref="TryBuild(DbCommand, string, ulong, Type, string)"/>, also giving the hash of the parameters'
    /// bindings, as <see cref="TryHashBindings"/> computes it, from the same pass (<see cref="KeyedCommand"/>).
    /// </summary>
    public static string? TryBuild(DbCommand command, string databaseId, ulong session, Type contextType, string modelHash, out ulong bindings)
    {
        bindings = 0;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        WriteString(buffer, KeySchema);
        WriteString(buffer, databaseId);
        WriteInt64(buffer, (long)session);
        WriteString(buffer, TypeNames.GetValue(contextType, static type => type.AssemblyQualifiedName ?? type.FullName ?? type.Name));
        WriteString(buffer, modelHash);

        // Enums as numbers: their ToString boxes on every call. Indexed, not foreach: the enumerator is boxed too.
        WriteInt32(buffer, (int)command.CommandType);
        WriteString(buffer, command.CommandText);

        // Every parameter's binding, then every value: the bindings are one run of the buffer, hashed on their own too.
        var parameters = command.Parameters;
        var bindingsStart = buffer.WrittenCount;
        if (!TryWriteBindings(buffer, parameters))
        {
            ReleaseHugeBuffer(buffer);
            return null;
        }

        bindings = XxHash64.HashToUInt64(buffer.WrittenSpan[bindingsStart..]);
        for (var i = 0; i < parameters.Count; i++)
        {
            var value = parameters[i].Value;
            if (value is null)
            {
                // Not DBNull: SQLite and Npgsql refuse to run a command with a parameter left unset, so a hit stored
                // for DBNull must not answer it (NullParameterValueTests).
                buffer.GetSpan(1)[0] = UnsetValue;
                buffer.Advance(1);
                continue;
            }

            if (!ValueCodec.TryWrite(buffer, value))
            {
                ReleaseHugeBuffer(buffer);
                return null;
            }
        }

        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(buffer.WrittenSpan, hash);
        ReleaseHugeBuffer(buffer);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The hash of what the key takes from the parameters besides their values (count, names, types, size, precision,
    /// scale, direction, provider types); <see langword="false"/> when a getter threw.
    /// </summary>
    public static bool TryHashBindings(DbParameterCollection parameters, out ulong bindings)
    {
        bindings = 0;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (!TryWriteBindings(buffer, parameters))
        {
            ReleaseHugeBuffer(buffer);
            return false;
        }

        bindings = XxHash64.HashToUInt64(buffer.WrittenSpan);
        ReleaseHugeBuffer(buffer);
        return true;
    }

    private static bool TryWriteBindings(ArrayBufferWriter<byte> buffer, DbParameterCollection parameters)
    {
        var count = parameters.Count;
        WriteInt32(buffer, count);
        for (var i = 0; i < count; i++)
        {
            var parameter = parameters[i];
            WriteString(buffer, parameter.ParameterName);
            WriteInt32(buffer, (int)parameter.DbType);
            WriteInt32(buffer, (int)parameter.Direction);
            if (!ParameterTypeFacets.For(parameter.GetType()).TryWrite(buffer, parameter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>On every way out, a refused key too: a long SQL text with a parameter no key can hold kept its buffer (found by review, <c>CacheKeyBuilderUnitTests</c>).</summary>
    private static void ReleaseHugeBuffer(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > 64 * 1024)
        {
            t_buffer = null; // one huge parameter must not pin a large buffer to the thread forever
        }
    }

    internal static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    internal static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    /// <summary>As <see cref="WriteString"/>, with length -1 for <see langword="null"/>, so it never hashes like "".</summary>
    internal static void WriteNullableString(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteInt32(buffer, -1);
            return;
        }

        WriteString(buffer, value);
    }

    /// <summary>
    /// Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike; the raw UTF-16 code units, so two
    /// strings that differ only in an invalid surrogate never hash alike either.
    /// </summary>
    internal static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan());
        var span = buffer.GetSpan(bytes.Length + 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span, bytes.Length);
        bytes.CopyTo(span[4..]);
        buffer.Advance(bytes.Length + 4);
    }
}
