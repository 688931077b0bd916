using System.Collections.Frozen;
using System.Data.Common;

namespace EfRedisCache.Storage;

/// <summary>
/// Reads a PostgreSQL array that holds a NULL element, which Npgsql's <c>GetValue</c> refuses when its elements are a
/// value type (its default <c>ArrayNullabilityMode</c>: "Cannot read a non-nullable collection of elements because the
/// returned array contains nulls"). The recording reader fills a cell EF Core skipped (a miss whose context already
/// tracked the rows reads only their keys) with <c>GetValue</c>, so such a result was never cached. Npgsql reports
/// every array column's field type as <see cref="Array"/>, so the element type is found from the column's data type
/// name: the one Npgsql's <c>GetValue</c> gives for an array of that type without NULLs
/// (<c>PostgreSqlNullElementArrayTests</c> checks each against Npgsql), read here as a nullable array of it. A hit then
/// converts it as it converts the array <c>GetValue</c> gives; a type not named here stays uncached.
/// </summary>
internal static class NpgsqlNullElementArrays
{
    /// <summary>By PostgreSQL element type name (Npgsql's data type name without <c>[]</c> and type modifiers).</summary>
    internal static readonly FrozenDictionary<string, Func<DbDataReader, int, object?>> ReadersByElementType =
        new Dictionary<string, Func<DbDataReader, int, object?>>(StringComparer.Ordinal)
        {
            ["boolean"] = LearnedGetters.FieldValue<bool?[]>(),
            ["smallint"] = LearnedGetters.FieldValue<short?[]>(),
            ["integer"] = LearnedGetters.FieldValue<int?[]>(),
            ["bigint"] = LearnedGetters.FieldValue<long?[]>(),
            ["real"] = LearnedGetters.FieldValue<float?[]>(),
            ["double precision"] = LearnedGetters.FieldValue<double?[]>(),
            ["numeric"] = LearnedGetters.FieldValue<decimal?[]>(),
            ["money"] = LearnedGetters.FieldValue<decimal?[]>(),
            ["uuid"] = LearnedGetters.FieldValue<Guid?[]>(),
            ["date"] = LearnedGetters.FieldValue<DateOnly?[]>(),
            ["time without time zone"] = LearnedGetters.FieldValue<TimeOnly?[]>(),
            ["timestamp without time zone"] = LearnedGetters.FieldValue<DateTime?[]>(),
            ["timestamp with time zone"] = LearnedGetters.FieldValue<DateTime?[]>(),
            ["time with time zone"] = LearnedGetters.FieldValue<DateTimeOffset?[]>(),
            ["interval"] = LearnedGetters.FieldValue<TimeSpan?[]>(),
            ["oid"] = LearnedGetters.FieldValue<uint?[]>(),
            ["xid"] = LearnedGetters.FieldValue<uint?[]>(),
            ["cid"] = LearnedGetters.FieldValue<uint?[]>(),
            ["xid8"] = LearnedGetters.FieldValue<ulong?[]>(),
            ["char"] = LearnedGetters.FieldValue<char?[]>(),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The cell as a nullable array, when <paramref name="reader"/> is on an array column of a type named here and
    /// the array holds a NULL; otherwise false, and the caller keeps the exception <c>GetValue</c> threw.
    /// </summary>
    public static bool TryRead(DbDataReader reader, int ordinal, out object? value)
    {
        value = null;
        if (reader.GetFieldType(ordinal) != typeof(Array)
            || ElementTypeName(reader.GetDataTypeName(ordinal)) is not { } element
            || !ReadersByElementType.TryGetValue(element, out var read))
        {
            return false;
        }

        value = read(reader, ordinal);
        return value is System.Collections.IList list && list.Contains(null);
    }

    /// <summary><c>numeric(10, 2)[]</c> → <c>numeric</c>; null for a name that is not a one-dimensional array type's.</summary>
    internal static string? ElementTypeName(string dataTypeName)
    {
        if (!dataTypeName.EndsWith("[]", StringComparison.Ordinal))
        {
            return null;
        }

        var name = dataTypeName.AsSpan(0, dataTypeName.Length - 2);
        var modifiers = name.IndexOf('(');
        if (modifiers >= 0)
        {
            // Type modifiers sit in the middle of "timestamp(3) with time zone": cut them out wherever they are.
            var close = name.IndexOf(')');
            if (close < modifiers)
            {
                return null;
            }

            return string.Concat(name[..modifiers].TrimEnd(), close + 1 < name.Length ? name[(close + 1)..] : []);
        }

        return name.ToString();
    }
}
