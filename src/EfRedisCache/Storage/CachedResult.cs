namespace EfRedisCache.Storage;

/// <summary>
/// What one <see cref="System.Data.Common.DbDataReader"/> returned: every result set, in order, with the
/// values exactly as EF Core read them. This is what a cache entry holds.
/// </summary>
internal sealed class CachedResult
{
    public CachedResult(IReadOnlyList<CachedResultSet> resultSets, int recordsAffected)
    {
        ResultSets = resultSets;
        RecordsAffected = recordsAffected;
    }

    public IReadOnlyList<CachedResultSet> ResultSets { get; }

    /// <summary>The provider reader's <c>RecordsAffected</c> (-1 for a plain SELECT).</summary>
    public int RecordsAffected { get; }
}
