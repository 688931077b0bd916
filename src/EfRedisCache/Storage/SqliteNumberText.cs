using System.Globalization;
using System.Text;

namespace EfRedisCache.Storage;

/// <summary>
/// Numbers as text the way SQLite and Microsoft.Data.Sqlite write and read them, for <see cref="ValueConverter"/>'s
/// conversions of cells recorded raw: SQLite's text of a REAL, and the text .NET parses to the same number SQLite does.
/// </summary>
internal static class SqliteNumberText
{
    /// <summary>
    /// SQLite's text of a REAL as SQLite 3.53 writes it, mostly: 15 significant digits where they read back as the same
    /// double, else 17; fixed notation from 1e-4 to below 1e17, else <c>e</c> and a signed exponent of at least two
    /// digits; a decimal point with a digit after it always; no sign on a zero; <c>Inf</c> for infinities. SQLite
    /// rounds with its own arithmetic, and its digits differ from these for some doubles (and may in other SQLite
    /// versions): the recording reader asks SQLite for its text and keeps it (<see cref="RealWithText"/>) wherever this
    /// gives other text, so the difference never reaches a hit.
    /// </summary>
    public static string Of(double real)
    {
        if (double.IsInfinity(real))
        {
            return real > 0 ? "Inf" : "-Inf";
        }

        if (real == 0)
        {
            return "0.0";
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        string scientific = real.ToString("E14", c); // "-d.dddddddddddddddE+ddd"
        if (double.Parse(scientific, c) != real)
        {
            scientific = real.ToString("E16", c);
        }

        int sign = real < 0 ? 1 : 0;
        int e = scientific.IndexOf('E', StringComparison.Ordinal);
        int exponent = int.Parse(scientific.AsSpan(e + 1), NumberStyles.AllowLeadingSign, c);
        string digits = string.Concat(scientific.AsSpan(sign, 1), scientific.AsSpan(sign + 2, e - sign - 2)).TrimEnd('0');
        var text = new StringBuilder(32);
        if (sign != 0)
        {
            text.Append('-');
        }

        if (exponent is < -4 or >= 17)
        {
            text.Append(digits[0]).Append('.').Append(digits.Length > 1 ? digits.AsSpan(1) : "0");
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", c));
        }
        else if (exponent < 0)
        {
            text.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (digits.Length <= exponent + 1)
        {
            text.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits.AsSpan(0, exponent + 1)).Append('.').Append(digits.AsSpan(exponent + 1));
        }

        return text.ToString();
    }

    /// <summary>
    /// Text as SQLite reads it as a REAL (<c>sqlite3_column_double</c>), for the text where .NET's parse gives the same
    /// double: a plain decimal number with at most 18 significant digits, which SQLite accumulates exactly. SQLite
    /// reads any other text as its longest numeric prefix — <c>1,000</c> is 1, <c>abc</c> and <c>Infinity</c> are 0
    /// — and rounds longer numbers its own way; that is not reproduced, so such text throws rather than give another
    /// value (StorageClassDifferentialTests: <c>double.Parse</c> read <c>1,000</c> as 1000).
    /// </summary>
    public static double ParseReal(string text) => IsPlainDecimalNumber(text)
        ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
        : throw new FormatException($"The text '{text}' is not a number that SQLite and .NET read alike.");

    /// <summary>Optional white space and sign, digits with at most one point, an optional exponent, white space.</summary>
    private static bool IsPlainDecimalNumber(ReadOnlySpan<char> text)
    {
        text = text.Trim(" \t\n\v\f\r");
        int i = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        int digits = 0;
        int significant = 0;
        bool point = false;
        for (; i < text.Length; i++)
        {
            char ch = text[i];
            if (char.IsAsciiDigit(ch))
            {
                digits++;
                if (significant > 0 || ch != '0')
                {
                    significant++;
                }
            }
            else if (ch == '.' && !point)
            {
                point = true;
            }
            else
            {
                break;
            }
        }

        if (digits == 0 || significant > 18)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            int exponentStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == exponentStart)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>A decimal from text, as Microsoft.Data.Sqlite's <c>GetDecimal</c> parses it.</summary>
    public static decimal ParseDecimal(string text) =>
        decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
}
