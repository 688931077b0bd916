using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;

namespace EfRedisCache.Storage;

/// <summary>
/// Turns a <see cref="CachedResult"/> into the bytes stored in Redis and back. Layout:
/// <c>"EFRC"</c>, a format-version byte, the result sets (columns, then rows of <see cref="ValueCodec"/> values),
/// <c>RecordsAffected</c>, and an XxHash32 of everything before it. The checksum turns a flipped bit into a clean
/// <see cref="CacheEntryFormatException"/> instead of a plausible wrong value; the parser is still defensive on its
/// own, because a well-formed checksum over a bad payload (a bug, another writer) must fail just as cleanly.
/// </summary>
internal static class CachedResultSerializer
{
    /// <summary>
    /// 2: provider type names as one byte where well known (<see cref="DataTypeNames"/>). 3: a SQLite REAL recorded
    /// with <c>GetValue</c> is read back as text with <see cref="SqliteNumberText.Of"/>'s digits, or carries
    /// SQLite's own (<see cref="ValueTypeCode.RealWithText"/>); a version-2 entry's REAL was never compared with
    /// SQLite's text, so it is not read. 4: a PostgreSQL enum recorded with <c>GetValue</c> carries its label
    /// (<see cref="ValueTypeCode.EnumWithLabel"/>); a version-3 entry holds only its number, which a hit reading the
    /// column as a string gave in place of the label, so it is not read.
    /// </summary>
    public const byte FormatVersion = 4;

    private const int HeaderLength = 5;
    private const int ChecksumLength = 4;

    private static ReadOnlySpan<byte> Magic => "EFRC"u8;

    private static readonly ConcurrentDictionary<string, Type> ResolvedTypes = new(StringComparer.Ordinal);

    /// <summary>
    /// Encodes <paramref name="result"/>. Returns false with a reason, and stops writing at once, when a value has
    /// a type the codec does not support or the payload would exceed <paramref name="maxBytes"/>.
    /// </summary>
    public static bool TrySerialize(
        CachedResult result, int maxBytes, [NotNullWhen(true)] out byte[]? payload, out string? failureReason)
    {
        payload = null;
        using var writer = new PooledBufferWriter(Math.Clamp(maxBytes, 64, 4096));
        int limit = maxBytes - ChecksumLength;
        writer.Write(Magic);
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)result.ResultSets.Count);
        foreach (CachedResultSet set in result.ResultSets)
        {
            failureReason = WriteResultSet(writer, set, limit);
            if (failureReason is not null)
            {
                return false;
            }
        }

        writer.WriteVarInt64(result.RecordsAffected);
        if (writer.WrittenCount > limit)
        {
            failureReason = TooLarge(maxBytes);
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(ChecksumLength), XxHash32.HashToUInt32(writer.WrittenSpan));
        writer.Advance(ChecksumLength);
        payload = writer.WrittenSpan.ToArray();
        failureReason = null;
        return true;
    }

    /// <summary>Decodes a payload; throws only <see cref="CacheEntryFormatException"/>, whatever the input.</summary>
    public static CachedResult Deserialize(ReadOnlySpan<byte> payload)
    {
        try
        {
            return DeserializeCore(payload);
        }
        catch (CacheEntryFormatException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new CacheEntryFormatException("The cache entry is malformed.", ex);
        }
    }

    /// <summary>The checksum the payload ends with; internal so tests can forge valid-looking corrupt payloads.</summary>
    internal static uint ComputeChecksum(ReadOnlySpan<byte> payloadWithoutChecksum) => XxHash32.HashToUInt32(payloadWithoutChecksum);

    private static string? WriteResultSet(PooledBufferWriter writer, CachedResultSet set, int limit)
    {
        CachedColumn[] columns = set.Columns;
        writer.WriteVarUInt64((ulong)columns.Length);
        foreach (CachedColumn column in columns)
        {
            string? failure = WriteColumn(writer, column);
            if (failure is not null)
            {
                return failure;
            }
        }

        List<object?[]> rows = set.Rows;
        writer.WriteVarUInt64((ulong)rows.Count);
        foreach (object?[] row in rows)
        {
            if (row.Length != columns.Length)
            {
                return $"A row has {row.Length} values for {columns.Length} columns.";
            }

            foreach (object? value in row)
            {
                // A string or array needs at least one byte per element: refuse a huge one before copying it.
                int elements = value switch { string s => s.Length, byte[] b => b.Length, _ => 0 };
                if (elements > limit - writer.WrittenCount)
                {
                    return TooLarge(limit + ChecksumLength);
                }

                if (!ValueCodec.TryWrite(writer, value))
                {
                    return $"Values of type {value!.GetType()} are not supported.";
                }

                if (writer.WrittenCount > limit)
                {
                    return TooLarge(limit + ChecksumLength);
                }
            }
        }

        return null;
    }

    private static string? WriteColumn(PooledBufferWriter writer, CachedColumn column)
    {
        if (!writer.TryWriteUtf8(column.Name, default) || !DataTypeNames.TryWrite(writer, column.DataTypeName))
        {
            return "A column name is not valid UTF-16.";
        }

        if (ValueCodec.TryGetTypeCode(column.FieldType, out ValueTypeCode code))
        {
            writer.WriteByte((byte)code);
            return null;
        }

        writer.WriteByte((byte)ValueTypeCode.TypeName);
        string? name = column.FieldType.AssemblyQualifiedName;
        return name is not null && writer.TryWriteUtf8(name, default) ? null : $"Column type {column.FieldType} has no usable name.";
    }

    private static CachedResult DeserializeCore(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderLength + ChecksumLength || !payload.StartsWith(Magic))
        {
            throw new CacheEntryFormatException("The payload is not an EfRedisCache entry.");
        }

        if (payload[4] != FormatVersion)
        {
            throw new CacheEntryFormatException($"Format version {payload[4]} is not {FormatVersion}.");
        }

        ReadOnlySpan<byte> body = payload[..^ChecksumLength];
        if (BinaryPrimitives.ReadUInt32LittleEndian(payload[^ChecksumLength..]) != XxHash32.HashToUInt32(body))
        {
            throw new CacheEntryFormatException("The checksum does not match.");
        }

        var reader = new PayloadReader(body[HeaderLength..]);
        int setCount = reader.ReadLength(reader.Remaining / 2);
        var sets = new CachedResultSet[setCount];
        for (int s = 0; s < setCount; s++)
        {
            sets[s] = ReadResultSet(ref reader);
        }

        int recordsAffected = checked((int)reader.ReadVarInt64());
        if (reader.Remaining != 0)
        {
            throw new CacheEntryFormatException("The payload has trailing bytes.");
        }

        return new CachedResult(sets, recordsAffected);
    }

    private static CachedResultSet ReadResultSet(ref PayloadReader reader)
    {
        // A column takes at least three bytes and a value at least one: counts beyond that are corrupt.
        int columnCount = reader.ReadLength(reader.Remaining / 3);
        var columns = new CachedColumn[columnCount];
        for (int c = 0; c < columnCount; c++)
        {
            columns[c] = ReadColumn(ref reader);
        }

        int rowCount = reader.ReadLength(columnCount == 0 ? reader.Remaining : reader.Remaining / columnCount);
        var rows = new List<object?[]>(rowCount);
        for (int r = 0; r < rowCount; r++)
        {
            object?[] row = columnCount == 0 ? [] : new object?[columnCount];
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = ValueCodec.Read(ref reader);
            }

            rows.Add(row);
        }

        return new CachedResultSet(columns, rows);
    }

    private static CachedColumn ReadColumn(ref PayloadReader reader)
    {
        string name = ValueCodec.ReadUtf8(ref reader);
        string dataTypeName = DataTypeNames.Read(ref reader);
        var code = (ValueTypeCode)reader.ReadByte();
        Type fieldType = code == ValueTypeCode.TypeName ? ResolveType(ValueCodec.ReadUtf8(ref reader)) : ValueCodec.TypeForCode(code);
        return new CachedColumn(name, dataTypeName, fieldType);
    }

    private static Type ResolveType(string assemblyQualifiedName)
    {
        if (ResolvedTypes.TryGetValue(assemblyQualifiedName, out Type? cached))
        {
            return cached;
        }

        // Only assemblies the process has already loaded: bytes read from Redis must never make it load code.
        Type type = Type.GetType(assemblyQualifiedName, LoadedAssembly, typeResolver: null, throwOnError: false)
            ?? throw new CacheEntryFormatException($"Column type '{assemblyQualifiedName}' is not a type of a loaded assembly.");

        // A type of a collectible assembly (a plugin's, in a load context its host unloads; also an array or generic
        // over one) is looked up each time: remembered for the process, it would keep the plugin loaded for good, and
        // a plugin loaded again under the same name would be handed the old one's type.
        return type.IsCollectible ? type : ResolvedTypes.GetOrAdd(assemblyQualifiedName, type);
    }

    private static System.Reflection.Assembly? LoadedAssembly(System.Reflection.AssemblyName name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (System.Reflection.AssemblyName.ReferenceMatchesDefinition(name, assembly.GetName()))
            {
                return assembly;
            }
        }

        return null;
    }

    private static string TooLarge(int maxBytes) => $"The result is larger than {maxBytes} bytes.";
}
