namespace EfRedisCache.Sql;

/// <summary>
/// Recognizes the exact shape EF Core gives <c>Find</c> and <c>First/Single(OrDefault)</c> on the key, and
/// nothing looser: one table, no join, no subquery or function call, a WHERE that is only
/// <c>key = parameter</c>, an optional LIMIT. Anything else is an ordinary table-level query.
/// </summary>
internal static class PrimaryKeyLookupScanner
{
    /// <param name="tokens">The query's tokens.</param>
    /// <param name="rowKeyedTables">Tables whose single-column integer key allows row versions, mapped to the key column.</param>
    public static PrimaryKeyLookup? Detect(List<SqlToken> tokens, IReadOnlyDictionary<string, string> rowKeyedTables)
    {
        if (tokens.Count == 0 || !tokens[0].IsKeyword("select"))
        {
            return null;
        }

        var i = 1;
        while (i < tokens.Count && !tokens[i].IsKeyword("from"))
        {
            if (tokens[i].Kind is SqlTokenKind.OpenParen or SqlTokenKind.Semicolon)
            {
                return null;
            }

            i++;
        }

        i++;
        if (!TryReadName(tokens, ref i, out var table) || !rowKeyedTables.TryGetValue(table, out var keyColumn))
        {
            return null;
        }

        var alias = table;
        if (i < tokens.Count && tokens[i].IsKeyword("as"))
        {
            i++;
        }

        if (i < tokens.Count && tokens[i].IsIdentifier && !tokens[i].IsKeyword("where"))
        {
            alias = tokens[i++].Text;
        }

        if (i >= tokens.Count || !tokens[i++].IsKeyword("where"))
        {
            return null;
        }

        // [alias.]key
        if (i + 2 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.Dot)
        {
            if (!tokens[i].IsIdentifier || !tokens[i].Text.Equals(alias, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            i += 2;
        }

        if (i >= tokens.Count || !NamesKeyColumn(tokens[i], keyColumn))
        {
            return null;
        }

        i++;
        if (i + 1 >= tokens.Count || tokens[i].Kind != SqlTokenKind.Other || tokens[i].Text != "=")
        {
            return null;
        }

        var value = tokens[i + 1];
        i += 2;
        if (value.Kind != SqlTokenKind.Other || value.Text.Length == 0)
        {
            return null;
        }

        string? parameter = null;
        string? literal = null;
        if (value.Text[0] is '@' or ':' or '$' or '?')
        {
            parameter = value.Text;
        }
        else if (value.Text.All(char.IsAsciiDigit))
        {
            literal = value.Text;
        }
        else
        {
            return null;
        }

        if (i < tokens.Count && tokens[i].IsKeyword("limit"))
        {
            i += 2; // LIMIT @p or LIMIT 1
        }

        if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.Semicolon)
        {
            i++;
        }

        return i == tokens.Count ? new PrimaryKeyLookup(TableIdentity.Of(table), parameter, literal) : null;
    }

    /// <summary>
    /// Whether <paramref name="token"/> names the key column exactly as the model spells it. PostgreSQL tells quoted
    /// names apart by case, so "id" beside the key "Id" is another column, whose value names no row
    /// (KeyColumnCaseTests); and it folds an unquoted name to lower case, so an unquoted <c>Id</c> is that column
    /// "id" too. An unquoted name is therefore taken only when it has no upper-case letter to fold. EF Core quotes
    /// the model's spelling; SQL that spells the key otherwise is read at table level, which costs precision, never
    /// a stale row.
    /// </summary>
    private static bool NamesKeyColumn(SqlToken token, string keyColumn)
        => token.Kind switch
        {
            SqlTokenKind.QuotedIdentifier => token.Text.Equals(keyColumn, StringComparison.Ordinal),
            SqlTokenKind.Word => token.Text.Equals(keyColumn, StringComparison.Ordinal) && !token.Text.Any(char.IsUpper),
            _ => false,
        };

    private static bool TryReadName(List<SqlToken> tokens, ref int i, out string name)
    {
        name = string.Empty;
        if (i >= tokens.Count || !tokens[i].IsIdentifier)
        {
            return false;
        }

        name = tokens[i++].Text;
        while (i + 1 < tokens.Count && tokens[i].Kind == SqlTokenKind.Dot && tokens[i + 1].IsIdentifier)
        {
            name = tokens[i + 1].Text;
            i += 2;
        }

        return true;
    }
}
