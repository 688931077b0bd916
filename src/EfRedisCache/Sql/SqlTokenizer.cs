namespace EfRedisCache.Sql;

/// <summary>
/// Splits SQL into the tokens the scanners need. It knows comments (PostgreSQL's nested ones too), string
/// literals (PostgreSQL's <c>E'…'</c> escapes and <c>$tag$…$tag$</c> dollar quotes too) and the three
/// identifier quotes of the common providers; it does not parse SQL. Anything it does not understand becomes
/// <see cref="SqlTokenKind.Other"/>, a quote or comment that never closes <see cref="SqlTokenKind.Unterminated"/>,
/// and the scanners treat what they cannot place on the safe side.
/// </summary>
internal static class SqlTokenizer
{
    /// <summary>
    /// <paramref name="sql"/> read as PostgreSQL reads it when the session's <c>standard_conforming_strings</c> is off (a
    /// connection string's <c>Options</c>, a <c>SET</c>): a backslash in an ordinary string escapes the next character, so
    /// <c>'it\'s'</c> is one string, where the SQL standard, SQLite and PostgreSQL's default end it after the backslash.
    /// The SQL does not say which is in force, so the scanners read it both ways and take the union of what they find.
    /// Null when the two readings cannot differ (no backslash before a quote), or when this one leaves a string open:
    /// PostgreSQL parses the whole command before it runs any of it, and refuses it then (SQLite's <c>'C:\'</c> stays
    /// a plain read).
    /// </summary>
    public static List<SqlToken>? ReadWithBackslashEscapes(string sql)
    {
        if (!sql.Contains("\\'", StringComparison.Ordinal))
        {
            return null;
        }

        var tokens = Tokenize(sql, backslashEscapes: true);
        return tokens.Exists(static t => t is { Kind: SqlTokenKind.Unterminated, Text: "'" }) ? null : tokens;
    }

    /// <param name="sql">The command text.</param>
    /// <param name="backslashEscapes">
    /// Read a backslash in an ordinary string as PostgreSQL does with <c>standard_conforming_strings</c> off: it escapes
    /// the next character, a quote too (<see cref="ReadWithBackslashEscapes"/>).
    /// </param>
    public static List<SqlToken> Tokenize(string sql, bool backslashEscapes = false)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                i++;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = SkipPast(sql, i, "\n");
                if (EndsEarlierInPostgres(sql, i, end))
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "--"));
                }

                i = end;
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                i = SkipComment(sql, i, tokens);
            }
            else if (c is 'U' or 'u' && At(sql, i + 1) == '&' && At(sql, i + 2) is '"' or '\'' && !IsWordChar(At(sql, i - 1)))
            {
                i = SkipUnicodeEscaped(sql, i, tokens);
            }
            else if (c == '\'' || (c is 'E' or 'e' && At(sql, i + 1) == '\'' && !IsWordChar(At(sql, i - 1))))
            {
                // E'…' (PostgreSQL) escapes a quote with a backslash as well as by doubling it. The literal keeps
                // its quotes, so no scanner takes it for a word; its text tells 'now' from other values.
                var start = i;
                var escaped = c != '\'';
                i = SkipQuoted(sql, escaped ? i + 1 : i, '\'', escaped || backslashEscapes, tokens);
                tokens.Add(new SqlToken(SqlTokenKind.Other, sql[start..i]));
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                tokens.Add(new SqlToken(end < 0 ? SqlTokenKind.Unterminated : SqlTokenKind.Other, tag));
                i = end < 0 ? sql.Length : end + tag.Length;
            }
            else if (c == '[' && (IsWordChar(At(sql, i - 1)) || At(sql, i - 1) is ')' or ']' || AfterArrayKeyword(tokens)))
            {
                // A subscript (PostgreSQL's arr[1], ARRAY['a'], ARRAY ['a']), not an identifier quote: those follow a
                // space, a dot, a comma or an opening parenthesis. SQLite quotes an identifier all the same (AS[x]).
                if (!AfterArrayKeyword(tokens) && BracketReadsTwoWays(sql, i, backslashEscapes))
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "["));
                }

                tokens.Add(new SqlToken(SqlTokenKind.Other, "["));
                i++;
            }
            else if (c is '"' or '`' or '[')
            {
                if (c == '[' && BracketReadsTwoWays(sql, i, backslashEscapes))
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "["));
                }

                var close = c == '[' ? ']' : c;
                var end = SkipQuoted(sql, i, close, backslashEscapes: false, tokens);
                var inner = sql[(i + 1)..Math.Max(i + 1, end - 1)];
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, inner.Replace(new string(close, 2), new string(close, 1), StringComparison.Ordinal)));
                i = end;
            }
            else if (IsWordStart(c))
            {
                var start = i;
                while (i < sql.Length && IsWordChar(sql[i]))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i]));
                if (sql.AsSpan(start, i - start).Equals("uescape", StringComparison.OrdinalIgnoreCase))
                {
                    // Not right after a U&"…" (a comment between them): which escape the name used is unknown.
                    tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "UESCAPE"));
                }
            }
            else
            {
                tokens.Add(c switch
                {
                    '(' => new SqlToken(SqlTokenKind.OpenParen, "("),
                    ')' => new SqlToken(SqlTokenKind.CloseParen, ")"),
                    ',' => new SqlToken(SqlTokenKind.Comma, ","),
                    '.' => new SqlToken(SqlTokenKind.Dot, "."),
                    ';' => new SqlToken(SqlTokenKind.Semicolon, ";"),
                    _ => new SqlToken(SqlTokenKind.Other, sql[i..SkipOther(sql, i)]),
                });
                i = SkipOther(sql, i);
            }
        }

        return tokens;
    }

    /// <summary>
    /// PostgreSQL's <c>U&amp;"…"</c> identifier, decoded (<see cref="UnicodeEscapes"/>), or <c>U&amp;'…'</c> string, kept
    /// with its quotes as other literals are; with the <c>UESCAPE 'c'</c> that may follow. An escape PostgreSQL would
    /// refuse, or a clause not of that form, is lost place.
    /// </summary>
    private static int SkipUnicodeEscaped(string sql, int start, List<SqlToken> tokens)
    {
        var quote = sql[start + 2];
        var end = SkipQuoted(sql, start + 2, quote, backslashEscapes: false, tokens);
        if (!UnicodeEscapes.TryReadUescape(sql, end, out var escape, out var next))
        {
            tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "UESCAPE"));
        }

        if (quote == '\'')
        {
            tokens.Add(new SqlToken(SqlTokenKind.Other, sql[(start + 2)..end]));
            return next;
        }

        var inner = sql[(start + 3)..Math.Max(start + 3, end - 1)].Replace("\"\"", "\"", StringComparison.Ordinal);
        tokens.Add(UnicodeEscapes.Decode(inner, escape) is { } name
            ? new SqlToken(SqlTokenKind.QuotedIdentifier, name)
            : new SqlToken(SqlTokenKind.Unterminated, "U&\""));
        return next;
    }

    private static bool AfterArrayKeyword(List<SqlToken> tokens) => tokens.Count > 0 && tokens[^1].IsKeyword("array");

    /// <summary>
    /// Whether the bracket at <paramref name="open"/> reads one way as SQLite's quoted identifier, which ends at the
    /// first <c>]</c>, and another as PostgreSQL's subscript, whose inside is code: a quote, dollar quote or comment
    /// in there runs past that <c>]</c> in one reading and not in the other. <c>AS[']</c> in SQLite opened a string
    /// for the scanner that hid the next statement's write.
    /// </summary>
    private static bool BracketReadsTwoWays(string sql, int open, bool backslashEscapes)
    {
        var close = sql.IndexOf(']', open + 1);
        if (close < 0)
        {
            return false; // no identifier reading: it never closes
        }

        var inside = sql[(open + 1)..close];
        return inside.Contains("--", StringComparison.Ordinal)
            || inside.Contains("/*", StringComparison.Ordinal)
            || Tokenize(inside, backslashEscapes).Exists(static t => t.Kind == SqlTokenKind.Unterminated);
    }

    private static char At(string sql, int index) => index >= 0 && index < sql.Length ? sql[index] : '\0';

    /// <summary>
    /// What begins an unquoted identifier in PostgreSQL and SQLite: an ASCII letter, <c>_</c>, or any character outside
    /// ASCII — a middle dot or a no-break space too, which .NET calls punctuation and white space. Ending the word
    /// there read the <c>$q$</c> of an alias <c>x·$q$</c> as a dollar quote and hid the write behind it.
    /// </summary>
    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    /// <summary>What goes on an unquoted identifier: <c>$</c> and ASCII digits too.</summary>
    private static bool IsWordChar(char c) => IsWordStart(c) || char.IsAsciiDigit(c) || c == '$';

    /// <summary>
    /// Whether the <c>--</c> comment at <paramref name="from"/>, which SQLite ends at the line feed before
    /// <paramref name="end"/>, holds a carriage return with text after it on that line. PostgreSQL ends the comment at
    /// the carriage return (old Mac line endings) and runs that text, SQLite does not: the scanner cannot tell which
    /// database reads it, and read as comment an UPDATE there ran unseen on PostgreSQL.
    /// </summary>
    private static bool EndsEarlierInPostgres(string sql, int from, int end)
    {
        var carriageReturn = sql.IndexOf('\r', from, end - from);
        return carriageReturn >= 0 && !sql.AsSpan(carriageReturn, end - carriageReturn).IsWhiteSpace();
    }

    private static int SkipPast(string sql, int from, string terminator)
    {
        var end = sql.IndexOf(terminator, from, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + terminator.Length;
    }

    /// <summary>
    /// Returns the index after a block comment. Nested comments close one level at a time, as in PostgreSQL and
    /// the SQL standard. SQLite does not nest them: its comment ends at the first <c>*/</c>, and what PostgreSQL still
    /// reads as comment there runs (<c>/* a /* b */ UPDATE …; -- */</c>). A comment that holds <c>/*</c> is therefore
    /// read two ways, and an <see cref="SqlTokenKind.Unterminated"/> token says the scanner cannot tell where it ends.
    /// </summary>
    private static int SkipComment(string sql, int open, List<SqlToken> tokens)
    {
        var depth = 0;
        var i = open;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1) == '*')
            {
                if (++depth == 2)
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "/*"));
                }

                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        tokens.Add(new SqlToken(SqlTokenKind.Unterminated, "/*"));
        return sql.Length;
    }

    /// <summary>The opening <c>$tag$</c> or <c>$$</c> of a PostgreSQL dollar-quoted string at <paramref name="i"/>; null for a parameter such as <c>$1</c>.</summary>
    private static string? DollarTag(string sql, int i)
    {
        // PostgreSQL's tag is an identifier without $: an ASCII letter, _ or any character outside ASCII first.
        var j = i + 1;
        if (j < sql.Length && IsWordStart(sql[j]))
        {
            while (j < sql.Length && (IsWordStart(sql[j]) || char.IsAsciiDigit(sql[j])))
            {
                j++;
            }
        }

        return At(sql, j) == '$' ? sql[i..(j + 1)] : null;
    }

    /// <summary>
    /// Returns the index after the closing quote; a doubled quote is an escaped one, and so is a quote after a
    /// backslash when <paramref name="backslashEscapes"/>. A quote that never closes adds an <see cref="SqlTokenKind.Unterminated"/> token.
    /// </summary>
    private static int SkipQuoted(string sql, int open, char close, bool backslashEscapes, List<SqlToken> tokens)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (sql[i] == close)
            {
                if (At(sql, i + 1) == close)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        tokens.Add(new SqlToken(SqlTokenKind.Unterminated, close.ToString()));
        return sql.Length;
    }

    /// <summary>Numbers and parameters (@p0, $1, :name) are one token each; operators one character.</summary>
    private static int SkipOther(string sql, int i)
    {
        if (sql[i] is '@' or '$' or ':' or '?' || char.IsDigit(sql[i]))
        {
            i++;
            while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '.'))
            {
                i++;
            }

            return i;
        }

        return i + 1;
    }
}
