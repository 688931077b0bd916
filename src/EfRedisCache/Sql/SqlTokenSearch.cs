namespace EfRedisCache.Sql;

/// <summary>Searches and skips within one statement, <c>tokens[start..end)</c>, for the scanners.</summary>
internal static class SqlTokenSearch
{
    public static bool HasKind(List<SqlToken> tokens, int start, int end, SqlTokenKind kind)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasKeyword(List<SqlToken> tokens, int start, int end, string keyword)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsKeyword(keyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The index after the parenthesis that closes the one at <paramref name="open"/>, or <paramref name="end"/> when
    /// the statement ends first.
    /// </summary>
    public static int SkipGroup(List<SqlToken> tokens, int open, int end)
    {
        var depth = 0;
        for (var i = open; i < end; i++)
        {
            if (tokens[i].Kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
            else if (tokens[i].Kind == SqlTokenKind.CloseParen && --depth == 0)
            {
                return i + 1;
            }
        }

        return end;
    }
}
