namespace EfRedisCache.Storage;

/// <summary>One result set: its columns and its rows. A row holds one value per column; <c>null</c> is SQL NULL.</summary>
internal sealed class CachedResultSet
{
    public CachedResultSet(CachedColumn[] columns, List<object?[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public CachedColumn[] Columns { get; }

    public List<object?[]> Rows { get; }
}
