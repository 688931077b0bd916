namespace EfRedisCache.Sql;

/// <summary>One token; <see cref="Text"/> is the identifier without its quotes.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text)
{
    public bool IsIdentifier => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public bool IsKeyword(string keyword)
        => Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
