namespace EfRedisCache.Sql;

/// <summary>Searches within one statement, <c>tokens[start..end)</c>, for the scanners.</summary>
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
}
