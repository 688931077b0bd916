using System.Data.Common;

namespace EfRedisCache.Storage;

/// <summary>
/// One delegate per <see cref="DbDataReader"/> getter, so the recording reader can remember per column which getter
/// EF Core used and call the same one for the cells and rows EF Core never read (rows drained after an early
/// <c>Dispose</c>, columns skipped in a row). Reading a cell the way EF Core would have read it keeps the provider's
/// own conversion, e.g. SQLite TEXT to <see cref="decimal"/>, in the stored value.
/// </summary>
internal static class LearnedGetters
{
    /// <summary><see cref="DbDataReader.GetValue"/>, with <see cref="DBNull"/> stored as <c>null</c>.</summary>
    public static readonly Func<DbDataReader, int, object?> Raw = static (r, i) => r.GetValue(i) is var v && v is DBNull ? null : v;

    public static readonly Func<DbDataReader, int, object?> Boolean = static (r, i) => r.GetBoolean(i);
    public static readonly Func<DbDataReader, int, object?> Byte = static (r, i) => r.GetByte(i);
    public static readonly Func<DbDataReader, int, object?> Char = static (r, i) => r.GetChar(i);
    public static readonly Func<DbDataReader, int, object?> DateTime = static (r, i) => r.GetDateTime(i);
    public static readonly Func<DbDataReader, int, object?> Decimal = static (r, i) => r.GetDecimal(i);
    public static readonly Func<DbDataReader, int, object?> Double = static (r, i) => r.GetDouble(i);
    public static readonly Func<DbDataReader, int, object?> Float = static (r, i) => r.GetFloat(i);
    public static readonly Func<DbDataReader, int, object?> Guid = static (r, i) => r.GetGuid(i);
    public static readonly Func<DbDataReader, int, object?> Int16 = static (r, i) => r.GetInt16(i);
    public static readonly Func<DbDataReader, int, object?> Int32 = static (r, i) => r.GetInt32(i);
    public static readonly Func<DbDataReader, int, object?> Int64 = static (r, i) => r.GetInt64(i);
    public static readonly Func<DbDataReader, int, object?> String = static (r, i) => r.GetString(i);

    /// <summary>
    /// <see cref="DbDataReader.GetFieldValue{T}"/> for one <typeparamref name="T"/>. A static generic holder gives
    /// one cached delegate per type with no reflection and no dictionary lookup on the miss path; the runtime's
    /// generic instantiation does what a <c>ConcurrentDictionary</c> plus <c>MakeGenericMethod</c> would.
    /// </summary>
    public static Func<DbDataReader, int, object?> FieldValue<T>() => FieldValueGetter<T>.Instance;

    private static class FieldValueGetter<T>
    {
        public static readonly Func<DbDataReader, int, object?> Instance = static (r, i) => r.GetFieldValue<T>(i);
    }
}
