namespace EfRedisCache.Sql;

/// <summary>
/// Splits SQL into the tokens the scanners need. It knows comments, string literals and the three identifier
/// quotes of the common providers; it does not parse SQL. Anything it does not understand becomes
/// <see cref="SqlTokenKind.Other"/>, and the scanners treat what they cannot place on the safe side.
/// </summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                i = SkipPast(sql, i, "\n");
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                i = SkipPast(sql, i + 2, "*/");
            }
            else if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'');
                tokens.Add(new SqlToken(SqlTokenKind.Other, "'"));
            }
            else if (c is '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var end = SkipQuoted(sql, i, close);
                var inner = sql[(i + 1)..Math.Max(i + 1, end - 1)];
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, inner.Replace(new string(close, 2), new string(close, 1), StringComparison.Ordinal)));
                i = end;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i]));
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

    private static char At(string sql, int index) => index < sql.Length ? sql[index] : '\0';

    private static int SkipPast(string sql, int from, string terminator)
    {
        var end = sql.IndexOf(terminator, from, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + terminator.Length;
    }

    /// <summary>Returns the index after the closing quote; a doubled quote is an escaped one.</summary>
    private static int SkipQuoted(string sql, int open, char close)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
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
