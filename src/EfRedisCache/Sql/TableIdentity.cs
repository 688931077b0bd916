using System.Text;

namespace EfRedisCache.Sql;

/// <summary>
/// The one spelling of a table's name that its version keys use, whichever spelling named it: the model's, a raw
/// statement's quoted or unquoted one. Every name that becomes a key goes through <see cref="Of"/>, or a write through
/// one spelling misses a read cached through another. Two tables may share an identity (over-invalidation, a miss);
/// one table must never have two.
/// </summary>
internal static class TableIdentity
{
    /// <summary>
    /// PostgreSQL's NAMEDATALEN - 1: it keeps the first 63 bytes of a name, in <c>CREATE TABLE</c> and in every
    /// query, so a model table named in 70 characters is reached by its first 63 too, and by any longer spelling
    /// that begins with them (<c>PostgreSqlTruncatedTableNameTests</c>).
    /// </summary>
    internal const int MaxNameBytes = 63;

    /// <summary>
    /// <paramref name="name"/> cut to <see cref="MaxNameBytes"/> bytes of UTF-8 at a character boundary, as PostgreSQL
    /// cuts it, then in lower case: SQLite folds ASCII identifiers, quoted or not, and PostgreSQL folds unquoted ones.
    /// Cut first: lower case can change a character's length in UTF-8 (the Kelvin sign is three bytes, k one), and
    /// PostgreSQL cuts the name as written, after folding only ASCII, which keeps lengths. Other databases keep longer
    /// names: there two tables that share their first 63 bytes share versions, which costs misses, never a stale row.
    /// </summary>
    public static string Of(string name)
    {
        if (name.Length > MaxNameBytes / 3 && Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            var length = 0;
            var bytes = 0;
            while (length < name.Length)
            {
                var width = char.IsHighSurrogate(name[length]) && length + 1 < name.Length && char.IsLowSurrogate(name[length + 1]) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(name.AsSpan(length, width));
                if (bytes + size > MaxNameBytes)
                {
                    break;
                }

                bytes += size;
                length += width;
            }

            name = name[..length];
        }

        return name.ToLowerInvariant();
    }
}
