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

    /// <summary>
    /// Whether it calls a function that is not a built-in (<see cref="BuiltInFunctions"/>), which may read any table. Raw
    /// SQL that does reads unknown sources (<see cref="WithUserFunctionsAsUnknownSources"/>); EF Core's own SQL calls
    /// built-ins and the functions the model maps only.
    /// </summary>
    public bool CallsUserFunction { get; init; }

    /// <summary>
    /// This analysis for raw SQL: a call of a user function (<see cref="CallsUserFunction"/>) makes it read unknown
    /// sources, so it depends on every write to the database, and no longer on one row's version.
    /// </summary>
    public QueryAnalysis WithUserFunctionsAsUnknownSources()
        => CallsUserFunction && !ReadsUnknownSources ? this with { ReadsUnknownSources = true, KeyLookup = null } : this;
}
