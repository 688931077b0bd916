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

    /// <summary>Words that end a select list, so a <c>begin</c> between <c>AS</c> and one of them is a column's name.</summary>
    private static readonly HashSet<string> SelectListEnds = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "into", "where", "group", "having", "window", "order", "limit", "offset", "fetch", "union", "except", "intersect", "returning",
    };

    /// <summary>
    /// The effect of the statements in <paramref name="tokens"/>, in order, on whether a transaction is open
    /// afterwards. <paramref name="blockDepth"/> carries, from statement to statement of one command, the blocks
    /// opened and not yet closed — a <c>CREATE TRIGGER … BEGIN …; END</c> body, T-SQL's <c>BEGIN … END</c>, a
    /// <c>CASE</c>: a bare <c>END</c> then closes the block, not the transaction.
    /// </summary>
    public static TransactionControl Fold(TransactionControl soFar, List<SqlToken> tokens, int start, int end, ref int blockDepth)
    {
        var effect = Of(tokens, start, end);
        if (effect == TransactionControl.End && blockDepth > 0 && tokens[start].IsKeyword("end") && start + 1 == end)
        {
            effect = TransactionControl.None;
        }

        // The statement's own BEGIN or END, when it is the transaction's, opens or closes no block.
        var from = effect is TransactionControl.Begin or TransactionControl.End ? start + 1 : start;
        for (var i = from; i < end; i++)
        {
            if ((tokens[i].IsKeyword("begin") && !IsName(tokens, i, start, end)) || tokens[i].IsKeyword("case"))
            {
                blockDepth++;
            }
            else if (tokens[i].IsKeyword("end") && blockDepth > 0)
            {
                blockDepth--;
            }
        }

        return effect switch
        {
            TransactionControl.Begin => soFar is TransactionControl.End or TransactionControl.Checkpoint ? TransactionControl.Checkpoint : TransactionControl.Begin,
            TransactionControl.Checkpoint => soFar == TransactionControl.Begin ? TransactionControl.Begin : TransactionControl.Checkpoint,
            TransactionControl.End => TransactionControl.End,
            _ => soFar,
        };
    }

    /// <summary>
    /// Whether the <c>begin</c> at <paramref name="i"/> is a name: PostgreSQL and SQLite do not reserve the word, so a column
    /// or alias may be called so (<c>SELECT 1 AS begin; END</c>). Counted as a block, it made the <c>END</c> after it close
    /// that block instead of the raw transaction, and the connection bypassed the cache until it closed
    /// (<c>PostgreSqlBeginAsNameTests</c>). A block's <c>BEGIN</c> (a trigger's, T-SQL's) is followed by its body, and
    /// follows no dot, comma, parenthesis or <c>SELECT</c>; after <c>AS</c> it begins a body (T-SQL's <c>AS BEGIN</c>)
    /// unless what follows ends a select list.
    /// </summary>
    private static bool IsName(List<SqlToken> tokens, int i, int start, int end)
    {
        if (i + 1 >= end || tokens[i + 1].Kind is SqlTokenKind.Comma or SqlTokenKind.CloseParen or SqlTokenKind.Dot)
        {
            return true;
        }

        if (i == start)
        {
            return false;
        }

        var previous = tokens[i - 1];
        var next = tokens[i + 1];
        return previous.Kind is SqlTokenKind.Dot or SqlTokenKind.Comma or SqlTokenKind.OpenParen
            || previous.IsKeyword("select")
            || (previous.IsKeyword("as") && (next.Kind != SqlTokenKind.Word || SelectListEnds.Contains(next.Text)));
    }

    /// <summary>
    /// <c>SET TRANSACTION ISOLATION LEVEL REPEATABLE READ</c> (or serializable, snapshot), the session's
    /// <c>SET SESSION CHARACTERISTICS AS TRANSACTION …</c>, PostgreSQL's <c>SET default_transaction_isolation</c>:
    /// reads from a snapshot from then on, which a hit may be newer than. The transaction's
    /// <c>IsolationLevel</c> still says what it was begun with.
    /// </summary>
    public static bool SetsSnapshotIsolation(List<SqlToken> tokens, int start, int end)
    {
        if (start >= end || !tokens[start].IsKeyword("set"))
        {
            return false;
        }

        var isolation = false;
        var snapshot = false;
        for (var i = start + 1; i < end; i++)
        {
            var token = tokens[i];
            isolation |= token.IsKeyword("isolation") || token.IsKeyword("default_transaction_isolation");
            snapshot |= token.IsKeyword("repeatable") || token.IsKeyword("serializable") || token.IsKeyword("snapshot")
                || (token.Kind == SqlTokenKind.Other
                    && (token.Text.Contains("repeatable", StringComparison.OrdinalIgnoreCase) || token.Text.Contains("serializable", StringComparison.OrdinalIgnoreCase)));
        }

        return isolation && snapshot;
    }

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

        // PREPARE TRANSACTION 'x' (PostgreSQL's two-phase commit) ends the session's transaction too; COMMIT PREPARED,
        // which commits it later, is a write of unknown tables to the write scanner.
        if (first.IsKeyword("commit") || (first.IsKeyword("end") && (!hasNext || next.IsKeyword("transaction") || next.IsKeyword("work")))
            || (first.IsKeyword("prepare") && next.IsKeyword("transaction")))
        {
            return TransactionControl.End;
        }

        return TransactionControl.None;
    }
}
