namespace EfRedisCache.Sql;

/// <summary>
/// What a cacheable query reads: the model tables it names (lower case, sorted), and whether it also reads a
/// source the cache cannot see into (a view, a table-valued function, a table outside the model), in which
/// case it depends on every write to the database. <see cref="KeyLookup"/> is set for a read of one row by
/// its primary key. <see cref="NotCacheableReason"/> is set for SQL that must run on the database every time — it
/// reads the clock, a random value or a sequence (<see cref="VolatileFunctions"/>), or it locks rows
/// (<see cref="LockingReads"/>) — and says why, for the log. <see cref="SourceQualifiers"/>: what qualifies the
/// names of its FROM and JOIN sources (lower case), a schema or SQLite's attached database.
/// </summary>
internal sealed record QueryAnalysis(
    string[] Tables, bool ReadsUnknownSources, bool IsWrite, PrimaryKeyLookup? KeyLookup = null, string? NotCacheableReason = null)
{
    public string[] SourceQualifiers { get; init; } = [];
}
