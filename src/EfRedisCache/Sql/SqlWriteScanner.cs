namespace EfRedisCache.Sql;

/// <summary>
/// Finds the tables a command writes (ExecuteUpdate, ExecuteDelete, raw SQL). It errs on the safe side: a
/// statement it cannot name a target for (DDL, a procedure call, a function called through SELECT in a
/// non-query command) is an unknown target, which invalidates the whole database.
/// </summary>
internal static class SqlWriteScanner
{
    /// <summary>
    /// What <paramref name="sql"/> writes, read as the SQL standard reads strings and, where a backslash may escape a quote
    /// (<see cref="SqlTokenizer.ReadWithBackslashEscapes"/>), as PostgreSQL without <c>standard_conforming_strings</c>
    /// reads them too: the union of both. Read one way only, <c>'Keys\'s'; UPDATE "Categories" …; -- '</c> hid the second
    /// statement in a string (<c>PostgreSqlBackslashQuoteTests</c>).
    /// </summary>
    public static WriteAnalysis Analyze(string sql, IReadOnlySet<string> modelTables, bool isNonQuery)
    {
        var standard = Analyze(SqlTokenizer.Tokenize(sql), modelTables, isNonQuery);
        return SqlTokenizer.ReadWithBackslashEscapes(sql) is { } escaped
            ? Union(standard, Analyze(escaped, modelTables, isNonQuery))
            : standard;
    }

    /// <summary>True when a reader command holds a data modification (for example <c>DELETE … RETURNING</c> through FromSql).</summary>
    public static bool LooksLikeWrite(List<SqlToken> tokens)
        => Analyze(tokens, EmptySet, isNonQuery: false).IsWrite;

    /// <summary>As <see cref="LooksLikeWrite(List{SqlToken})"/>, in either reading of a backslash before a quote.</summary>
    public static bool LooksLikeWrite(string sql)
        => Analyze(sql, EmptySet, isNonQuery: false).IsWrite;

    /// <summary>
    /// Everything either reading found. Readings that disagree on the transaction statements leave it unknown whether a
    /// transaction is open and whether writes committed: a checkpoint, as for text the tokenizer could not read.
    /// </summary>
    private static WriteAnalysis Union(WriteAnalysis a, WriteAnalysis b)
    {
        if (a == WriteAnalysis.None)
        {
            return b;
        }

        if (b == WriteAnalysis.None)
        {
            return a;
        }

        var agree = a.Control == b.Control;
        return new WriteAnalysis(
            [.. a.Tables.Union(b.Tables).Order(StringComparer.Ordinal)],
            a.UnknownTarget || b.UnknownTarget,
            agree ? a.Control : TransactionControl.Checkpoint,
            a.SnapshotIsolation || b.SnapshotIsolation,
            a.SingleStatement && b.SingleStatement)
        {
            Databases = [.. a.Databases.Union(b.Databases).Order(StringComparer.Ordinal)],
            TargetQualifiers = [.. a.TargetQualifiers.Union(b.TargetQualifiers).Order(StringComparer.Ordinal)],
            LostPlace = a.LostPlace || b.LostPlace || !agree,
        };
    }

    private static readonly HashSet<string> EmptySet = [];

    private static WriteAnalysis Analyze(List<SqlToken> tokens, IReadOnlySet<string> modelTables, bool isNonQuery)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        var databases = new SortedSet<string>(StringComparer.Ordinal);
        var qualifiers = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = false;
        var control = TransactionControl.None;
        var blockDepth = 0;
        var snapshot = false;
        var lostPlace = false;
        var start = 0;
        var statements = 0;
        while (start < tokens.Count)
        {
            var end = start;
            var depth = 0;
            while (end < tokens.Count && !(depth == 0 && tokens[end].Kind == SqlTokenKind.Semicolon))
            {
                depth += tokens[end].Kind switch
                {
                    SqlTokenKind.OpenParen => 1,
                    SqlTokenKind.CloseParen => -1,
                    _ => 0,
                };
                end++;
            }

            if (end > start)
            {
                statements++;
            }

            unknown |= AnalyzeStatement(tokens, start, end, modelTables, isNonQuery, tables, qualifiers);
            AddDatabasesNamed(tokens, start, end, databases);
            control = TransactionControlScanner.Fold(control, tokens, start, end, ref blockDepth);
            snapshot |= TransactionControlScanner.SetsSnapshotIsolation(tokens, start, end);
            lostPlace |= SqlTokenSearch.HasKind(tokens, start, end, SqlTokenKind.Unterminated);
            start = end + 1;
        }

        return unknown || tables.Count > 0 || control != TransactionControl.None || snapshot
            ? new WriteAnalysis([.. tables], unknown, control, snapshot, statements == 1) { Databases = [.. databases], TargetQualifiers = [.. qualifiers], LostPlace = lostPlace }
            : WriteAnalysis.None;
    }

    /// <summary>
    /// The databases a <c>CREATE</c>, <c>DROP</c>, <c>ALTER</c> or <c>RESTORE DATABASE</c> names, the new name of a
    /// rename too: such a statement runs on a connection to another database (the server's maintenance database) and
    /// replaces or renames the named one, whose entries the connection's own database id does not reach (a database
    /// restored from a template, a blue/green swap by renaming). An unquoted name is added as written and in lower
    /// case: PostgreSQL folds it, other servers do not.
    /// </summary>
    private static void AddDatabasesNamed(List<SqlToken> tokens, int start, int end, SortedSet<string> databases)
    {
        if (end - start < 3
            || !tokens[start + 1].IsKeyword("database")
            || !(tokens[start].IsKeyword("create") || tokens[start].IsKeyword("drop") || tokens[start].IsKeyword("alter") || tokens[start].IsKeyword("restore")))
        {
            return;
        }

        var j = start + 2;
        if (tokens[j].IsKeyword("if"))
        {
            j = SkipWord(tokens, j + 1, end, "not");
            j = SkipWord(tokens, j, end, "exists");
        }

        // SQL Server drops a list: DROP DATABASE a, b.
        while (j < end && tokens[j].IsIdentifier)
        {
            AddDatabase(tokens[j], databases);
            if (j + 2 < end && tokens[j + 1].Kind == SqlTokenKind.Comma)
            {
                j += 2;
            }
            else
            {
                break;
            }
        }

        // The new name: PostgreSQL's RENAME TO new, SQL Server's MODIFY NAME = new.
        for (var i = j; i + 2 < end; i++)
        {
            if ((tokens[i].IsKeyword("rename") && tokens[i + 1].IsKeyword("to"))
                || (tokens[i].IsKeyword("name") && tokens[i + 1] is { Kind: SqlTokenKind.Other, Text: "=" }))
            {
                if (tokens[i + 2].IsIdentifier)
                {
                    AddDatabase(tokens[i + 2], databases);
                }
            }
        }
    }

    private static void AddDatabase(SqlToken name, SortedSet<string> databases)
    {
        databases.Add(name.Text);
        if (name.Kind == SqlTokenKind.Word)
        {
            databases.Add(name.Text.ToLowerInvariant());
        }
    }

    /// <summary>Adds the statement's targets to <paramref name="tables"/>; returns true when its target is unknown.</summary>
    private static bool AnalyzeStatement(List<SqlToken> tokens, int start, int end, IReadOnlySet<string> modelTables, bool isNonQuery, SortedSet<string> tables, SortedSet<string> qualifiers)
    {
        if (start >= end)
        {
            return false;
        }

        if (SqlTokenSearch.HasKind(tokens, start, end, SqlTokenKind.Unterminated))
        {
            return true; // the tokenizer lost its place: what follows may hide any write
        }

        var first = tokens[start];
        if (first.Kind != SqlTokenKind.Word)
        {
            return isNonQuery;
        }

        if (first.IsKeyword("explain"))
        {
            // EXPLAIN ANALYZE runs its statement (PostgreSQL): scan that. Plain EXPLAIN only plans it.
            var statement = AfterExplainOptions(tokens, start + 1, end);
            var runs = SqlTokenSearch.HasKeyword(tokens, start + 1, statement, "analyze") || SqlTokenSearch.HasKeyword(tokens, start + 1, statement, "analyse");
            return runs && AnalyzeStatement(tokens, statement, end, modelTables, isNonQuery, tables, qualifiers);
        }

        if (first.IsKeyword("commit") && start + 1 < end && tokens[start + 1].IsKeyword("prepared"))
        {
            // PostgreSQL's COMMIT PREPARED 'x' commits a transaction PREPARE TRANSACTION left, maybe on another
            // connection: what it wrote is not known here (PostgreSqlPreparedTransactionTests).
            return true;
        }

        if (SqlKeywords.NoWriteStatements.Contains(first.Text))
        {
            return false;
        }

        if (first.IsKeyword("truncate") && (SqlTokenSearch.HasKind(tokens, start, end, SqlTokenKind.Comma) || SqlTokenSearch.HasKeyword(tokens, start, end, "cascade")))
        {
            // Several tables, or CASCADE: every table that references them is emptied too, whatever its delete rule.
            return true;
        }

        var isRead = first.IsKeyword("select") || first.IsKeyword("values") || first.IsKeyword("with");
        if (!isRead && !SqlKeywords.DataModificationStatements.Contains(first.Text))
        {
            AddDdlObjectQualifier(tokens, start, end, qualifiers);
            return true; // DDL, EXEC, CALL, COPY, …: anything may have changed.
        }

        var found = false;
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.Word)
            {
                continue;
            }

            var target = TargetAfter(tokens, i, end, out var qualifier);
            if (target is not null)
            {
                found = true;
                tables.Add(TableIdentity.Of(target));
                if (qualifier is not null)
                {
                    qualifiers.Add(qualifier.ToLowerInvariant());
                }
            }
        }

        if (found)
        {
            // UPDATE … FROM and SQL Server's DELETE alias FROM table: the real target may stand anywhere in
            // the statement, so every model table it names is invalidated too.
            for (var i = start; i < end; i++)
            {
                if (tokens[i].IsIdentifier && modelTables.Contains(tokens[i].Text))
                {
                    tables.Add(TableIdentity.Of(tokens[i].Text));
                }
            }

            return false;
        }

        // A SELECT in a reader is a query; in a non-query command it runs only for its side effects.
        return !isRead || isNonQuery;
    }

    /// <summary>
    /// What qualifies the object a <c>CREATE</c>, <c>DROP</c> or <c>ALTER</c> of a table, view, index or trigger names:
    /// SQLite's <c>DROP TABLE archive."Orders"</c> rebuilds an attached file's table with no INSERT, UPDATE or DELETE
    /// to name it, and the whole-database invalidation of DDL reaches the connection's own file only
    /// (<c>DatabaseLifecycleTests.A_table_of_an_attached_database_rebuilt_by_raw_ddl_invalidates_that_databases_entries</c>).
    /// </summary>
    private static void AddDdlObjectQualifier(List<SqlToken> tokens, int start, int end, SortedSet<string> qualifiers)
    {
        if (!(tokens[start].IsKeyword("create") || tokens[start].IsKeyword("drop") || tokens[start].IsKeyword("alter")))
        {
            return;
        }

        // CREATE [UNIQUE | TEMP | TEMPORARY | VIRTUAL] TABLE | VIEW | INDEX | TRIGGER [IF [NOT] EXISTS] name
        static bool NamesObjectKind(SqlToken token)
            => token.IsKeyword("table") || token.IsKeyword("view") || token.IsKeyword("index") || token.IsKeyword("trigger");

        var j = start + 1;
        while (j < end && j <= start + 2 && tokens[j].Kind == SqlTokenKind.Word && !NamesObjectKind(tokens[j]))
        {
            j++;
        }

        if (j >= end || !NamesObjectKind(tokens[j]))
        {
            return;
        }

        j = SkipWord(tokens, j + 1, end, "if");
        j = SkipWord(tokens, j, end, "not");
        j = SkipWord(tokens, j, end, "exists");
        if (NameAt(tokens, j, end, out var qualifier) is not null && qualifier is not null)
        {
            qualifiers.Add(qualifier.ToLowerInvariant());
        }
    }

    /// <summary>Skips <c>ANALYZE</c>, <c>VERBOSE</c>, SQLite's <c>QUERY PLAN</c> and a parenthesized option list.</summary>
    private static int AfterExplainOptions(List<SqlToken> tokens, int i, int end)
    {
        while (i < end)
        {
            if (tokens[i].IsKeyword("analyze") || tokens[i].IsKeyword("analyse") || tokens[i].IsKeyword("verbose") || tokens[i].IsKeyword("query") || tokens[i].IsKeyword("plan"))
            {
                i++;
            }
            else if (tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                i = SqlTokenSearch.SkipGroup(tokens, i, end);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The table written by the pattern starting at <paramref name="i"/>, if it is one.</summary>
    private static string? TargetAfter(List<SqlToken> tokens, int i, int end, out string? qualifier)
    {
        qualifier = null;
        var word = tokens[i];
        var j = i + 1;
        if (word.IsKeyword("insert") || word.IsKeyword("replace") || word.IsKeyword("upsert"))
        {
            j = SkipOr(tokens, j, end);
            return j < end && tokens[j].IsKeyword("into") ? NameAt(tokens, j + 1, end, out qualifier) : null;
        }

        if (word.IsKeyword("update") && !(i > 0 && (tokens[i - 1].IsKeyword("for") || tokens[i - 1].IsKeyword("key"))))
        {
            // Not a lock clause: SELECT … FOR UPDATE [OF t | NOWAIT | SKIP LOCKED], FOR NO KEY UPDATE.
            j = SkipOr(tokens, j, end);
            j = SkipWord(tokens, j, end, "only");
            return NameAt(tokens, j, end, out qualifier);
        }

        if (word.IsKeyword("delete"))
        {
            j = SkipWord(tokens, j, end, "from");
            j = SkipWord(tokens, j, end, "only");
            return NameAt(tokens, j, end, out qualifier);
        }

        // PostgreSQL's ONLY (not the tables that inherit from it) may follow MERGE INTO and TRUNCATE [TABLE] as well: taken
        // for the table, it left the real one to the model-table pass below, which a context not mapping it never reached
        // (PostgreSqlTruncateOnlyTests).
        if (word.IsKeyword("merge"))
        {
            j = SkipWord(tokens, j, end, "into");
            j = SkipWord(tokens, j, end, "only");
            return NameAt(tokens, j, end, out qualifier);
        }

        if (word.IsKeyword("truncate"))
        {
            j = SkipWord(tokens, j, end, "table");
            j = SkipWord(tokens, j, end, "only");
            return NameAt(tokens, j, end, out qualifier);
        }

        return null;
    }

    /// <summary>SQLite's <c>INSERT OR REPLACE</c>, <c>UPDATE OR IGNORE</c>.</summary>
    private static int SkipOr(List<SqlToken> tokens, int j, int end)
        => j + 1 < end && tokens[j].IsKeyword("or") ? j + 2 : j;

    private static int SkipWord(List<SqlToken> tokens, int j, int end, string keyword)
        => j < end && tokens[j].IsKeyword(keyword) ? j + 1 : j;

    /// <summary>The table named at <paramref name="j"/>, without its qualifier, which goes to <paramref name="qualifier"/> (the schema, or SQLite's attached database).</summary>
    private static string? NameAt(List<SqlToken> tokens, int j, int end, out string? qualifier)
    {
        qualifier = null;
        if (j >= end || !tokens[j].IsIdentifier || (tokens[j].Kind == SqlTokenKind.Word && SqlKeywords.EndOfSource.Contains(tokens[j].Text)))
        {
            return null;
        }

        var name = tokens[j].Text;
        while (j + 2 < end && tokens[j + 1].Kind == SqlTokenKind.Dot && tokens[j + 2].IsIdentifier)
        {
            qualifier = name;
            j += 2;
            name = tokens[j].Text;
        }

        return name;
    }
}
