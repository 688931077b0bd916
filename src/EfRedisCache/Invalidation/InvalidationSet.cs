namespace EfRedisCache.Invalidation;

/// <summary>What one write makes stale in one database: named tables, or the whole database when the target could not be told.</summary>
internal sealed class InvalidationSet
{
    public InvalidationSet(string databaseId)
    {
        DatabaseId = databaseId;
    }

    public string DatabaseId { get; }

    public SortedSet<string> Tables { get; } = new(StringComparer.Ordinal);

    public bool WholeDatabase { get; set; }

    public bool IsEmpty => !WholeDatabase && Tables.Count == 0;

    public void Add(InvalidationSet other)
    {
        Tables.UnionWith(other.Tables);
        WholeDatabase |= other.WholeDatabase;
    }
}
