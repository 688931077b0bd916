namespace EfRedisCache.Sql;

/// <summary>Keyword sets the scanners share.</summary>
internal static class SqlKeywords
{
    /// <summary>Words that end a FROM source, so they are never taken for an alias.</summary>
    public static readonly HashSet<string> EndOfSource = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "join", "inner", "left", "right", "full", "cross", "outer", "on", "group", "order", "having",
        "limit", "offset", "union", "except", "intersect", "window", "natural", "using", "fetch", "for",
        "returning", "set", "values", "select", "apply", "outer", "with", "option", "straight_join", "lateral",
    };

    /// <summary>Statements that change no table data.</summary>
    public static readonly HashSet<string> NoWriteStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "begin", "commit", "end", "rollback", "savepoint", "release", "set", "show", "declare", "pragma", "start", "abort",
    };

    /// <summary>Statements whose written tables the write scanner can name.</summary>
    public static readonly HashSet<string> DataModificationStatements = new(StringComparer.OrdinalIgnoreCase)
    {
        "insert", "update", "delete", "replace", "merge", "upsert", "truncate", "with",
    };
}
