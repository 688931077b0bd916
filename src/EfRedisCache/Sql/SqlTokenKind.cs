namespace EfRedisCache.Sql;

internal enum SqlTokenKind
{
    /// <summary>A bare word: a keyword or an unquoted identifier.</summary>
    Word,

    /// <summary>A quoted identifier: "x", [x] or `x`.</summary>
    QuotedIdentifier,
    OpenParen,
    CloseParen,
    Comma,
    Dot,
    Semicolon,

    /// <summary>Anything else: literals, numbers, parameters, operators.</summary>
    Other,
}
