using System.Globalization;
using System.Text;

namespace EfRedisCache.Sql;

/// <summary>
/// PostgreSQL's Unicode escapes in <c>U&amp;"…"</c> identifiers: <c>\0041</c> (four hex digits), <c>\+000041</c> (six),
/// <c>\\</c> for the escape character itself, which a <c>UESCAPE 'c'</c> after the closing quote may change.
/// <c>UPDATE U&amp;"Pr\006Fducts"</c> writes <c>"Products"</c>; read as written, the write invalidated another name.
/// </summary>
internal static class UnicodeEscapes
{
    /// <summary>
    /// Reads a <c>UESCAPE 'c'</c> clause at <paramref name="from"/> (after white space). Returns the index after it, or
    /// <paramref name="from"/> when there is none; false when one begins but is not of that form.
    /// </summary>
    public static bool TryReadUescape(string sql, int from, out char escape, out int next)
    {
        escape = '\\';
        next = from;
        var i = SkipAsciiWhiteSpace(sql, from);
        const string keyword = "uescape";
        if (sql.Length - i < keyword.Length
            || !sql.AsSpan(i, keyword.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase)
            || (i + keyword.Length < sql.Length && (char.IsAsciiLetterOrDigit(sql[i + keyword.Length]) || sql[i + keyword.Length] is '_' or '$' || sql[i + keyword.Length] >= '\u0080')))
        {
            return true;
        }

        i = SkipAsciiWhiteSpace(sql, i + keyword.Length);
        if (i + 2 >= sql.Length || sql[i] != '\'' || sql[i + 2] != '\'')
        {
            return false;
        }

        escape = sql[i + 1];
        next = i + 3;
        return true;
    }

    /// <summary>The identifier <paramref name="text"/> spells, or null when PostgreSQL would refuse its escapes.</summary>
    public static string? Decode(string text, char escape)
    {
        if (text.IndexOf(escape, StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var decoded = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != escape)
            {
                decoded.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == escape)
            {
                decoded.Append(escape);
                i++;
            }
            else if (i + 1 < text.Length && text[i + 1] == '+' && TryHex(text, i + 2, 6, out var codePoint))
            {
                if (codePoint > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
                {
                    return null;
                }

                decoded.Append(char.ConvertFromUtf32(codePoint));
                i += 7;
            }
            else if (TryHex(text, i + 1, 4, out var unit))
            {
                decoded.Append((char)unit); // two escaped surrogates make one character, as in PostgreSQL
                i += 4;
            }
            else
            {
                return null;
            }
        }

        return decoded.ToString();
    }

    private static bool TryHex(string text, int start, int length, out int value)
    {
        value = 0;
        return start + length <= text.Length
            && int.TryParse(text.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static int SkipAsciiWhiteSpace(string sql, int i)
    {
        while (i < sql.Length && sql[i] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
        {
            i++;
        }

        return i;
    }
}
