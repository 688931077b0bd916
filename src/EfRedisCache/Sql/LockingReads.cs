namespace EfRedisCache.Sql;

/// <summary>
/// Reads that take locks: <c>SELECT … FOR UPDATE</c> and its kin, SQL Server's locking table hints. The caller
/// runs them for the lock, not only for the rows; an answer from Redis would take none, and a second transaction
/// would go ahead where it must wait. So they are never cached.
/// </summary>
internal static class LockingReads
{
    /// <summary>SQL Server table hints that hold locks until the transaction ends (<c>WITH (UPDLOCK, ROWLOCK)</c>).</summary>
    private static readonly HashSet<string> LockingHints = new(StringComparer.OrdinalIgnoreCase)
    {
        "updlock", "xlock", "holdlock", "tablockx", "serializable", "repeatableread",
    };

    /// <summary>The reason the token at <paramref name="i"/> makes the read take locks, or null.</summary>
    public static string? ReasonAt(List<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        if (token.IsKeyword("for") && i + 1 < tokens.Count)
        {
            // PostgreSQL: FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE (MySQL and Oracle: FOR UPDATE,
            // FOR SHARE). FOR XML, FOR JSON, FOR SYSTEM_TIME and FOR BROWSE lock nothing.
            var next = tokens[i + 1];
            if (next.IsKeyword("update") || next.IsKeyword("share") || next.IsKeyword("no") || next.IsKeyword("key"))
            {
                return "it locks the rows it reads (FOR " + next.Text.ToUpperInvariant() + " …), which an answer from the cache would not";
            }
        }

        // MySQL's older spelling of FOR SHARE.
        if (token.IsKeyword("lock") && i + 2 < tokens.Count && tokens[i + 1].IsKeyword("in") && tokens[i + 2].IsKeyword("share"))
        {
            return "it locks the rows it reads (LOCK IN SHARE MODE), which an answer from the cache would not";
        }

        // A hint list: WITH (UPDLOCK, ROWLOCK), or the older form without WITH, t (UPDLOCK).
        if (token.Kind == SqlTokenKind.Word && LockingHints.Contains(token.Text) && i > 0
            && tokens[i - 1].Kind is SqlTokenKind.OpenParen or SqlTokenKind.Comma
            && i + 1 < tokens.Count && tokens[i + 1].Kind is SqlTokenKind.CloseParen or SqlTokenKind.Comma
            && InHintList(tokens, i))
        {
            return "it locks the rows it reads (" + token.Text.ToUpperInvariant() + "), which an answer from the cache would not";
        }

        return null;
    }

    /// <summary>Whether the parenthesised list around <paramref name="i"/> follows WITH or a table name, as hints do.</summary>
    private static bool InHintList(List<SqlToken> tokens, int i)
    {
        var j = i - 1;
        while (j > 0 && tokens[j].Kind != SqlTokenKind.OpenParen)
        {
            j--;
        }

        return j > 0 && tokens[j - 1].IsIdentifier;
    }
}
