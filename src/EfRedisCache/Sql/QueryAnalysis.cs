namespace EfRedisCache.Sql;

/// <summary>
/// What a cacheable query reads: the model tables it names (lower case, sorted), and whether it also reads a
/// source the cache cannot see into (a view, a table-valued function, a table outside the model), in which
/// case it depends on every write to the database. <see cref="KeyLookup"/> is set for a read of one row by
/// its primary key.
/// </summary>
internal sealed record QueryAnalysis(string[] Tables, bool ReadsUnknownSources, bool IsWrite, PrimaryKeyLookup? KeyLookup = null);
