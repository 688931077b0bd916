namespace EfRedisCache.Sql;

/// <summary>
/// Reads the transaction statements of raw SQL (PostgreSQL's and SQLite's spellings, and the standard's). It
/// errs toward <see cref="TransactionControl.Begin"/> and <see cref="TransactionControl.Checkpoint"/>: taking a
/// statement for a transaction costs misses, missing one could cost a stale row.
/// </summary>
internal static class TransactionControlScanner
{
    /// <summary>Words that may follow <c>BEGIN</c> when it starts a transaction, not a block (T-SQL's <c>BEGIN … END</c>, <c>BEGIN TRY</c>).</summary>
    private static readonly HashSet<string> BeginModifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "transaction", "tran", "work", "deferred", "immediate", "exclusive", "isolation", "read", "not", "deferrable", "distributed",
    };

    /// <summary>The effect of the statements in <paramref name="tokens"/>, in order, on whether a transaction is open afterwards.</summary>
    public static TransactionControl Fold(TransactionControl soFar, List<SqlToken> tokens, int start, int end)
        => Of(tokens, start, end) switch
        {
            TransactionControl.Begin => soFar is TransactionControl.End or TransactionControl.Checkpoint ? TransactionControl.Checkpoint : TransactionControl.Begin,
            TransactionControl.Checkpoint => soFar == TransactionControl.Begin ? TransactionControl.Begin : TransactionControl.Checkpoint,
            TransactionControl.End => TransactionControl.End,
            _ => soFar,
        };

    /// <summary>The effect of one statement, <paramref name="tokens"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public static TransactionControl Of(List<SqlToken> tokens, int start, int end)
    {
        if (start >= end || tokens[start].Kind != SqlTokenKind.Word)
        {
            return TransactionControl.None;
        }

        var first = tokens[start];
        var next = start + 1 < end ? tokens[start + 1] : default;
        var hasNext = start + 1 < end;
        if (first.IsKeyword("begin"))
        {
            return !hasNext || (next.Kind == SqlTokenKind.Word && BeginModifiers.Contains(next.Text)) ? TransactionControl.Begin : TransactionControl.None;
        }

        if ((first.IsKeyword("start") && next.IsKeyword("transaction")) || first.IsKeyword("savepoint"))
        {
            return TransactionControl.Begin;
        }

        if (first.IsKeyword("release") || (first.IsKeyword("commit") && SqlTokenSearch.HasKeyword(tokens, start, end, "chain")))
        {
            return TransactionControl.Checkpoint;
        }

        if (first.IsKeyword("rollback") || first.IsKeyword("abort"))
        {
            // ROLLBACK TO SAVEPOINT undoes part of a transaction that stays open; AND CHAIN opens the next one.
            // Either way a transaction is open afterwards, also if the cache missed how it began.
            return SqlTokenSearch.HasKeyword(tokens, start, end, "to") || SqlTokenSearch.HasKeyword(tokens, start, end, "chain") ? TransactionControl.Checkpoint : TransactionControl.End;
        }

        if (first.IsKeyword("commit") || (first.IsKeyword("end") && (!hasNext || next.IsKeyword("transaction") || next.IsKeyword("work"))))
        {
            return TransactionControl.End;
        }

        return TransactionControl.None;
    }
}
