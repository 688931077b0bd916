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

    /// <summary>
    /// A quote or comment that never closes: the tokenizer misread something (a dialect's string syntax it does
    /// not know), and what follows may hide a write. The scanners take it for an unknown target.
    /// </summary>
    Unterminated,
}
