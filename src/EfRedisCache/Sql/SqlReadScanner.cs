namespace EfRedisCache.Sql;

/// <summary>
/// Finds what a SELECT reads. Every identifier that names a model table is a dependency (so comma joins and
/// subqueries are covered); every FROM/JOIN source that is not a model table or a CTE in scope where it is read
/// marks the query as reading an unknown source.
/// </summary>
internal static class SqlReadScanner
{
    /// <param name="sql">The command text.</param>
    /// <param name="modelTables">The model's tables, any case.</param>
    /// <param name="rowKeyedTables">Tables whose key lookups are versioned per row, with their key column.</param>
    /// <param name="modelFunctions">
    /// The database functions the model maps (<c>HasDbFunction</c>): a scalar one may read any table, so a call
    /// makes the query depend on every write, as a view in FROM does.
    /// </param>
    public static QueryAnalysis Analyze(string sql, IReadOnlySet<string> modelTables, IReadOnlyDictionary<string, string>? rowKeyedTables = null, IReadOnlySet<string>? modelFunctions = null)
    {
        var standard = Analyze(SqlTokenizer.Tokenize(sql), modelTables, rowKeyedTables, modelFunctions);
        return SqlTokenizer.ReadWithBackslashEscapes(sql) is { } escaped
            ? Union(standard, Analyze(escaped, modelTables, rowKeyedTables, modelFunctions))
            : standard;
    }

    /// <summary>
    /// What either reading of a backslash before a quote reads (<see cref="SqlTokenizer.ReadWithBackslashEscapes"/>): the
    /// text one reading takes for a string may name another table, a view or a write in the other.
    /// </summary>
    private static QueryAnalysis Union(QueryAnalysis a, QueryAnalysis b)
    {
        if (a.IsWrite || b.IsWrite)
        {
            return a.IsWrite ? a : b;
        }

        return new QueryAnalysis(
            [.. a.Tables.Union(b.Tables).Order(StringComparer.Ordinal)],
            a.ReadsUnknownSources || b.ReadsUnknownSources,
            IsWrite: false,
            a.KeyLookup == b.KeyLookup ? a.KeyLookup : null,
            a.NotCacheableReason ?? b.NotCacheableReason)
        {
            SourceQualifiers = [.. a.SourceQualifiers.Union(b.SourceQualifiers).Order(StringComparer.Ordinal)],
            CallsUserFunction = a.CallsUserFunction || b.CallsUserFunction,
        };
    }

    private static QueryAnalysis Analyze(List<SqlToken> tokens, IReadOnlySet<string> modelTables, IReadOnlyDictionary<string, string>? rowKeyedTables, IReadOnlySet<string>? modelFunctions)
    {
        if (SqlWriteScanner.LooksLikeWrite(tokens))
        {
            return new QueryAnalysis([], ReadsUnknownSources: true, IsWrite: true);
        }

        var ctes = FindCtes(tokens);
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        var qualifiers = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = false;
        var callsUserFunction = false;
        string? notCacheable = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            // In the same pass: the analysis is kept per SQL text, so this runs once per distinct query.
            notCacheable ??= VolatileFunctions.ReasonAt(tokens, i) ?? LockingReads.ReasonAt(tokens, i);
            if (token.IsIdentifier && modelTables.Contains(token.Text))
            {
                tables.Add(TableIdentity.Of(token.Text));
            }

            if (modelFunctions is { Count: > 0 } && token.IsIdentifier && modelFunctions.Contains(token.Text)
                && i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.OpenParen)
            {
                unknown = true;
            }

            callsUserFunction = callsUserFunction || BuiltInFunctions.CallsUserFunctionAt(tokens, i);

            // PostgreSQL's TABLE t is SELECT * FROM t, also in a CTE or after UNION (PostgreSqlTableCommandTests).
            if (token.IsKeyword("from") || token.IsKeyword("join") || token.IsKeyword("apply") || token.IsKeyword("table"))
            {
                unknown |= !SourcesAreKnown(tokens, i + 1, modelTables, ctes, qualifiers);
            }
        }

        var keyLookup = !unknown && tables.Count == 1 && rowKeyedTables is { Count: > 0 }
            ? PrimaryKeyLookupScanner.Detect(tokens, rowKeyedTables)
            : null;
        return new QueryAnalysis([.. tables], unknown, IsWrite: false, keyLookup, notCacheable)
        {
            SourceQualifiers = [.. qualifiers],
            CallsUserFunction = callsUserFunction,
        };
    }

    /// <summary>Checks the source list starting at <paramref name="i"/>: one source, or several separated by commas.</summary>
    private static bool SourcesAreKnown(List<SqlToken> tokens, int i, IReadOnlySet<string> modelTables, List<CteScope> ctes, SortedSet<string> qualifiers)
    {
        while (i < tokens.Count)
        {
            if (tokens[i].IsKeyword("lateral") || tokens[i].IsKeyword("only"))
            {
                i++; // FROM a, LATERAL (SELECT …) b; PostgreSQL's FROM ONLY t
            }

            if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                // A subquery's own FROM is checked where the loop reaches it; a parenthesised join list
                // (FROM (a JOIN b ON …)) is checked here. Either way the list goes on after the group and its
                // alias: FROM (SELECT …) AS d, price_overrides o must still see price_overrides.
                if (!IsSubquery(tokens, i + 1) && !SourcesAreKnown(tokens, i + 1, modelTables, ctes, qualifiers))
                {
                    return false;
                }

                i = SkipAlias(tokens, SqlTokenSearch.SkipGroup(tokens, i, tokens.Count));
                if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.OpenParen)
                {
                    i = SqlTokenSearch.SkipGroup(tokens, i, tokens.Count); // the alias's column list: AS d(a, b)
                }

                if (i >= tokens.Count || tokens[i].Kind != SqlTokenKind.Comma)
                {
                    return true;
                }

                i++;
                continue;
            }

            if (i >= tokens.Count || !tokens[i].IsIdentifier)
            {
                return false;
            }

            // schema.table: the last part names the table.
            var name = tokens[i].Text;
            var qualified = false;
            while (i + 2 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.Dot && tokens[i + 2].IsIdentifier)
            {
                qualifiers.Add(name.ToLowerInvariant());
                i += 2;
                name = tokens[i].Text;
                qualified = true;
            }

            var isCte = !qualified && IsCteInScope(ctes, CteName(tokens[i]), i);
            i++;
            if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                return false; // a table-valued function
            }

            if (!modelTables.Contains(name) && !isCte)
            {
                return false;
            }

            i = SkipAlias(tokens, i);
            if (i >= tokens.Count || tokens[i].Kind != SqlTokenKind.Comma)
            {
                return EndsSourceList(tokens, i);
            }

            i++;
        }

        return true;
    }

    /// <summary>
    /// Whether the source list plainly ends at <paramref name="i"/>: the text's end, a statement's, a group's, or a word
    /// that ends a source (WHERE, a JOIN, ORDER BY …). Anything else after a table and its alias — an alias's column list
    /// (<c>FROM items AS i(a, b), other</c>), SQLite's <c>INDEXED BY</c>, <c>TABLESAMPLE</c> — may be followed by more
    /// sources of the list, which the scan would not see: the query then depends on every write. Taken for the list's end,
    /// <c>other</c>, outside the model, was no dependency at all (<c>PostgreSqlFromListTests</c>).
    /// </summary>
    private static bool EndsSourceList(List<SqlToken> tokens, int i)
        => i >= tokens.Count
            || tokens[i].Kind is SqlTokenKind.Semicolon or SqlTokenKind.CloseParen
            || (tokens[i].Kind == SqlTokenKind.Word && SqlKeywords.EndOfSource.Contains(tokens[i].Text));

    private static bool IsSubquery(List<SqlToken> tokens, int i)
        => i < tokens.Count && (tokens[i].IsKeyword("select") || tokens[i].IsKeyword("with") || tokens[i].IsKeyword("values"));

    private static int SkipAlias(List<SqlToken> tokens, int i)
    {
        if (i < tokens.Count && tokens[i].IsKeyword("as"))
        {
            i++;
        }

        if (i < tokens.Count && tokens[i].IsIdentifier
            && !(tokens[i].Kind == SqlTokenKind.Word && SqlKeywords.EndOfSource.Contains(tokens[i].Text)))
        {
            i++;
        }

        return i;
    }

    /// <summary>A CTE's name and the tokens it can be read from: <see cref="Start"/> to before <see cref="End"/>.</summary>
    private readonly record struct CteScope(string Name, int Start, int End);

    private static bool IsCteInScope(List<CteScope> ctes, string name, int position)
    {
        foreach (var cte in ctes)
        {
            if (cte.Start <= position && position < cte.End && cte.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// CTEs defined as <c>WITH name AS (</c> or, after one, <c>, name AS (</c>, with an optional column list
    /// (<see cref="CteName"/>), each with its scope as PostgreSQL sees it: the rest of the parenthesised group (or text)
    /// its WITH stands in, up to the statement's end, from the end of its own definition (from its name under
    /// <c>WITH RECURSIVE</c>). Collected over the whole text, a CTE defined in a derived table, a scalar subquery, one
    /// arm of a UNION, its own definition or one statement of a batch hid a table of its name read elsewhere, which
    /// PostgreSQL reads: outside the model, the query was cached with no dependency on it (<c>PostgreSqlFromListTests</c>).
    /// A table named like a CTE out of its scope makes the query depend on every write (SQL Server's and SQLite's
    /// recursive CTEs without <c>RECURSIVE</c> too, where they read themselves): more invalidation, never less.
    /// </summary>
    private static List<CteScope> FindCtes(List<SqlToken> tokens)
    {
        var ctes = new List<CteScope>();
        // Per open parenthesised group: the first of ctes defined in it, whether a WITH (RECURSIVE) stands in it.
        var outer = new Stack<(int First, bool With, bool Recursive)>();
        var group = (First: 0, With: false, Recursive: false);
        var statementFirst = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.OpenParen)
            {
                outer.Push(group);
                group = (ctes.Count, false, false);
            }
            else if (token.Kind == SqlTokenKind.CloseParen)
            {
                EndScopes(ctes, group.First, i);
                group = outer.Count > 0 ? outer.Pop() : (ctes.Count, false, false);
            }
            else if (token.Kind == SqlTokenKind.Semicolon)
            {
                EndScopes(ctes, statementFirst, i); // the next statement sees none of them
                statementFirst = ctes.Count;
                outer.Clear();
                group = (ctes.Count, false, false);
            }
            else if (token.IsKeyword("with"))
            {
                group = (group.First, true, i + 1 < tokens.Count && tokens[i + 1].IsKeyword("recursive"));
            }
            else if (token.IsIdentifier && group.With && i > 0
                && (tokens[i - 1].IsKeyword("with") || tokens[i - 1].IsKeyword("recursive") || tokens[i - 1].Kind == SqlTokenKind.Comma))
            {
                var j = i + 1;
                if (j < tokens.Count && tokens[j].Kind == SqlTokenKind.OpenParen)
                {
                    j = SqlTokenSearch.SkipGroup(tokens, j, tokens.Count); // the column list: WITH x(a, b) AS (…)
                }

                if (j + 1 < tokens.Count && tokens[j].IsKeyword("as") && tokens[j + 1].Kind == SqlTokenKind.OpenParen)
                {
                    // Not recursive, a CTE is not seen in its own definition: WITH t AS (SELECT * FROM t) reads the table t.
                    var start = group.Recursive ? i : SqlTokenSearch.SkipGroup(tokens, j + 1, tokens.Count);
                    ctes.Add(new CteScope(CteName(token), start, int.MaxValue));
                }
            }
        }

        return ctes;
    }

    /// <summary>Ends at <paramref name="end"/> the scopes still open among those from <paramref name="first"/> on.</summary>
    private static void EndScopes(List<CteScope> ctes, int first, int end)
    {
        for (var k = first; k < ctes.Count; k++)
        {
            if (ctes[k].End == int.MaxValue)
            {
                ctes[k] = ctes[k] with { End = end };
            }
        }
    }

    /// <summary>
    /// The name a CTE is defined or referenced by, as PostgreSQL compares them: quoted as written, unquoted with ASCII
    /// letters in lower case. <c>WITH "Visible" AS (…) … FROM visible</c> reads the table <c>visible</c>, not the CTE;
    /// compared regardless of case, that table outside the model was no dependency (<c>PostgreSqlFromListTests</c>).
    /// A reference PostgreSQL takes for the CTE, SQLite (which ignores ASCII case) does too.
    /// </summary>
    private static string CteName(SqlToken token)
        => token.Kind == SqlTokenKind.Word ? string.Create(token.Text.Length, token.Text, static (span, text) =>
        {
            for (var k = 0; k < text.Length; k++)
            {
                span[k] = char.IsAsciiLetterUpper(text[k]) ? (char)(text[k] + ('a' - 'A')) : text[k];
            }
        }) : token.Text;
}
