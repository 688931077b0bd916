using System.Buffers;
using System.Collections.Frozen;

namespace EfRedisCache.Storage;

/// <summary>
/// A column's provider type name (<c>GetDataTypeName</c>) in the payload: one byte for the names the common
/// providers report, the UTF-8 spelling otherwise. For small results the names were a large share of the
/// entry — a one-row PK lookup spent more bytes on "INTEGER"/"TEXT" than on its values.
/// </summary>
/// <remarks>
/// Part of the payload format: byte 0 is the empty name, byte 1 says the spelling follows, byte 2 + i is
/// <c>Known[i]</c>. Append only; changing or removing a name changes the meaning of stored entries and needs
/// a new <see cref="CachedResultSerializer.FormatVersion"/>.
/// </remarks>
internal static class DataTypeNames
{
    private const byte Empty = 0;
    private const byte Spelled = 1;
    private const byte FirstKnown = 2;

    private static readonly string[] Known =
    [
        // SQLite
        "INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC",
        // PostgreSQL (Npgsql)
        "integer", "bigint", "smallint", "text", "numeric", "boolean", "timestamp with time zone",
        "timestamp without time zone", "uuid", "bytea", "double precision", "real", "date", "character varying",
        "character", "jsonb", "json", "interval", "time without time zone",
        // SQL Server
        "int", "nvarchar", "varchar", "bit", "decimal", "datetime2", "datetimeoffset", "uniqueidentifier",
        "varbinary", "float", "time", "tinyint", "datetime", "nchar", "char", "money",
    ];

    private static readonly FrozenDictionary<string, byte> Codes =
        Known.Select((name, index) => (name, code: (byte)(FirstKnown + index))).ToFrozenDictionary(p => p.name, p => p.code, StringComparer.Ordinal);

    /// <summary>Writes <paramref name="name"/>; false when it is not valid UTF-16 (nothing usable was written).</summary>
    public static bool TryWrite(IBufferWriter<byte> writer, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            writer.WriteByte(Empty);
            return true;
        }

        if (Codes.TryGetValue(name, out var code))
        {
            writer.WriteByte(code);
            return true;
        }

        writer.WriteByte(Spelled);
        return writer.TryWriteUtf8(name, default);
    }

    public static string Read(ref PayloadReader reader)
    {
        var code = reader.ReadByte();
        return code switch
        {
            Empty => string.Empty,
            Spelled => ValueCodec.ReadUtf8(ref reader),
            _ when code - FirstKnown < Known.Length => Known[code - FirstKnown],
            _ => throw new CacheEntryFormatException($"Unknown data type name code {code}."),
        };
    }
}
