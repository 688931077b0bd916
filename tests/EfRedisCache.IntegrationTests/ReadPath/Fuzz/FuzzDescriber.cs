using System.Collections;
using System.Globalization;
using System.Text;

namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// A query's result as text that differs whenever two results differ in a way an application could see: every value
/// with its CLR type, doubles and floats by their bits (the sign of a zero, NaN payloads), decimals with their scale,
/// DateTime with its kind, offsets, bytes, order. Entities one level deep (an item's owner and notes, not back).
/// </summary>
internal static class FuzzDescriber
{
    public static string Describe(object? value)
    {
        var text = new StringBuilder();
        Append(text, value, depth: 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append("s\"");
                foreach (var c in s)
                {
                    text.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
                }

                text.Append('"');
                return;
            case double d:
                text.Append("d:").Append(BitConverter.DoubleToInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture));
                return;
            case float f:
                text.Append("f:").Append(BitConverter.SingleToInt32Bits(f).ToString("x8", CultureInfo.InvariantCulture));
                return;
            case decimal m:
                text.Append("m:").Append(m.ToString(CultureInfo.InvariantCulture));
                return;
            case DateTime dt:
                text.Append("dt:").Append(dt.Ticks).Append(dt.Kind);
                return;
            case DateTimeOffset dto:
                text.Append("dto:").Append(dto.Ticks).Append('@').Append(dto.Offset.Ticks);
                return;
            case byte[] bytes:
                text.Append("b:").Append(Convert.ToHexString(bytes));
                return;
            case TimeOnly t:
                text.Append("t:").Append(t.Ticks);
                return;
            case DateOnly d:
                text.Append("day:").Append(d.DayNumber);
                return;
            case TimeSpan span:
                text.Append("ts:").Append(span.Ticks);
                return;
            case Enum e:
                text.Append(e.GetType().Name).Append(':').Append(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is Guid:
                text.Append(value.GetType().Name).Append(':').Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case bool or char:
                text.Append(value.GetType().Name).Append(':').Append(value);
                return;
            case IEnumerable items:
                text.Append('[');
                foreach (var item in items)
                {
                    Append(text, item, depth);
                    text.Append(',');
                }

                text.Append(']');
                return;
            default:
                AppendObject(text, value, depth);
                return;
        }
    }

    private static void AppendObject(StringBuilder text, object value, int depth)
    {
        var type = value.GetType();
        var entity = type.Namespace == typeof(FuzzItem).Namespace;
        text.Append(entity ? type.Name : "anon").Append('{');
        foreach (var property in type.GetProperties().OrderBy(p => p.MetadataToken))
        {
            var navigation = entity && property.PropertyType.Namespace == typeof(FuzzItem).Namespace
                || entity && property.PropertyType.IsGenericType && property.PropertyType.GetGenericArguments()[0].Namespace == typeof(FuzzItem).Namespace;
            if (navigation && depth > 0)
            {
                continue;
            }

            text.Append(property.Name).Append('=');
            Append(text, property.GetValue(value), navigation ? depth + 1 : depth);
            text.Append(';');
        }

        text.Append('}');
    }
}
