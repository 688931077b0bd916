using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace EfRedisCache.Storage;

/// <summary>
/// The conversions a typed getter applies when the stored value is not already of the requested type, modelled
/// on Microsoft.Data.Sqlite (which stores little more than INTEGER, REAL, TEXT and BLOB and converts on read).
/// The recording reader normally stores values in the type EF Core asked for, so this is the rare path: it exists
/// for cells that were recorded raw (<see cref="System.Data.Common.DbDataReader.GetValue"/>) and read typed later.
/// </summary>
internal static class ValueConverter
{
    /// <summary>The Julian day number of 0001-01-01T00:00, SQLite's epoch for REAL dates.</summary>
    private const double JulianDayOfMinDate = 1721425.5;

    /// <summary>Converts a non-null value; the fast path is the caller's <c>value is T</c> check.</summary>
    public static T To<T>(object value) => value is T typed ? typed : (T)ChangeType(value, typeof(T));

    /// <summary>
    /// Converts a non-null value to <paramref name="target"/> (nullable and enum targets included). A value that
    /// cannot be converted throws <see cref="InvalidCastException"/>, the <c>DbDataReader</c> getters' contract, or
    /// the <see cref="FormatException"/> and <see cref="OverflowException"/> Microsoft.Data.Sqlite throws for text it
    /// cannot parse and numbers out of range — never another exception, whatever an entry holds: a cell of another
    /// type than the read expects (a malformed entry behind a valid checksum) must fail the way a provider's wrong-type
    /// read fails (<c>MalformedEntryReplayUnitTests</c>).
    /// </summary>
    public static object ChangeType(object value, Type target)
    {
        try
        {
            return ChangeTypeCore(value, target);
        }
        catch (ArgumentException ex)
        {
            // A date or time out of its range (a Julian day of 1, an interval of 1e300 days), an enum that refuses
            // the number: the value is not one of the target type's.
            throw new InvalidCastException($"Unable to cast a value of type {value.GetType()} to {target}: {ex.Message}", ex);
        }
    }

    private static object ChangeTypeCore(object value, Type target)
    {
        target = Nullable.GetUnderlyingType(target) ?? target;
        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        if (target.IsEnum)
        {
            return Enum.ToObject(target, ChangeType(value, Enum.GetUnderlyingType(target)));
        }

        object? converted = value switch
        {
            // Npgsql's GetValue reads jsonb as text and numeric as decimal, where EF Core asks for a JsonDocument or a
            // BigInteger: a cell recorded that way (a miss in a context tracking the rows) threw on the hit.
            string s when target == typeof(JsonDocument) => JsonDocument.Parse(s),
            string s when target == typeof(JsonElement) => JsonElement.Parse(s),
            decimal m when target == typeof(BigInteger) => decimal.Truncate(m) == m
                ? new BigInteger(m)
                : throw new InvalidCastException($"{m} has a fraction; a BigInteger cannot hold it."),
            // Npgsql's GetValue reads bit(1) as a bool, where EF Core asks GetFieldValue<BitArray> for a BitArray
            // property mapped to it: a cell recorded that way threw on the hit (PostgreSqlEdgeValueTests).
            bool bit when target == typeof(BitArray) => new BitArray(1, bit),
            string s => FromString(s, target),
            byte[] bytes => FromBytes(bytes, target),
            System.Collections.IList list => FromCollection(list, target),
            double or float or decimal => FromReal(value, target),
            RealWithText real => FromRealWithText(real, target),
            EnumWithLabel labelled => target == typeof(string) ? labelled.Label : ChangeType(labelled.Value, target),
            DateTime dt => FromDateTime(dt, target),
            DateTimeOffset dto => FromDateTimeOffset(dto, target),
            TimeSpan ts => target == typeof(TimeOnly) ? TimeOnly.FromTimeSpan(ts) : null,

            // Npgsql 10's GetValue reads date and time as DateOnly and TimeOnly; EF Core reads a DateTime or a TimeSpan
            // mapped to them with GetDateTime and GetFieldValue<TimeSpan>, which give midnight with no kind and the
            // time of day (PostgreSqlValueFidelityTests).
            DateOnly day => target == typeof(DateTime) ? day.ToDateTime(TimeOnly.MinValue) : null,
            TimeOnly time => target == typeof(TimeSpan) ? time.ToTimeSpan() : null,
            Enum => ChangeType(Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture), target),
            IConvertible => FromInteger(value, target),
            _ => null,
        };
        return converted ?? throw new InvalidCastException($"Unable to cast a value of type {value.GetType()} to {target}.");
    }

    private static object? FromString(string s, Type target)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return Type.GetTypeCode(target) switch
        {
            TypeCode.Char => s.Length == 1 ? s[0] : throw new InvalidCastException($"'{s}' is not a single character."),
            TypeCode.Decimal => SqliteNumberText.ParseDecimal(s),
            TypeCode.Double => SqliteNumberText.ParseReal(s),
            TypeCode.Single => (float)SqliteNumberText.ParseReal(s), // as Microsoft.Data.Sqlite's GetFloat: the double, narrowed

            TypeCode.DateTime => DateTime.Parse(s, c, DateTimeStyles.AdjustToUniversal), // Microsoft.Data.Sqlite 10: text with an offset reads as UTC
            TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32
                or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => FromInteger(long.Parse(s, c), target),
            _ when target == typeof(Guid) => Guid.Parse(s),
            // Microsoft.Data.Sqlite 10: text without an offset is at offset zero, not the process's (ZonelessOffsetTextTests)
            _ when target == typeof(DateTimeOffset) => DateTimeOffset.Parse(s, c, DateTimeStyles.AssumeUniversal),
            _ when target == typeof(DateOnly) => DateOnly.Parse(s, c),
            _ when target == typeof(TimeOnly) => TimeOnly.Parse(s, c),
            // The one conversion Microsoft.Data.Sqlite makes in the current culture (TimeSpan.Parse(text)): under
            // de-DE '02:03:04,5' is a TimeSpan and '1:02:03:04.5' is not (CultureTimeSpanTests).
            _ when target == typeof(TimeSpan) => TimeSpan.Parse(s, CultureInfo.CurrentCulture),
            _ when target == typeof(byte[]) => TextBytes(s),
            _ when target == typeof(TextReader) => new StringReader(s),
            _ when target == typeof(char[]) => s.ToCharArray(),
            _ => null,
        };
    }

    /// <summary>
    /// The UTF-8 of text, as SQLite gives the bytes of a TEXT value read as a BLOB. Text SQLite holds as invalid UTF-8
    /// came out of the provider with U+FFFD in place of the bytes, which are lost: such text throws rather than give
    /// EF BF BD for them (StorageClassDifferentialTests), and so does a genuine U+FFFD, which cannot be told apart.
    /// </summary>
    private static byte[] TextBytes(string s) => s.Contains('\uFFFD', StringComparison.Ordinal)
        ? throw new InvalidCastException("Text with U+FFFD may stand for bytes that are not UTF-8, which it no longer holds.")
        : Encoding.UTF8.GetBytes(s);

    private static object? FromBytes(byte[] bytes, Type target)
    {
        if (target == typeof(Guid))
        {
            return bytes.Length == 16 ? new Guid(bytes) : throw new InvalidCastException($"A {bytes.Length}-byte value is not a Guid.");
        }

        if (target == typeof(string))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return target == typeof(Stream) ? new MemoryStream(bytes, writable: false) : null;
    }

    /// <summary>
    /// An array or list read as the other shape of the same elements (Npgsql's <c>GetValue</c> gives <c>int[]</c>
    /// where EF Core asks <c>GetFieldValue&lt;List&lt;int&gt;&gt;</c>), or with nullable elements, or of elements
    /// Npgsql's <c>GetValue</c> gives as another type, each converted as a cell of it would be (<c>date[]</c> and
    /// <c>time[]</c> as the day and time-of-day types where EF Core asks <see cref="DateTime"/>s and
    /// <see cref="TimeSpan"/>s, or the other way round; <c>timestamptz[]</c> as <see cref="DateTime"/>s for
    /// <see cref="DateTimeOffset"/>s: TrackedCollectionTests, PostgreSqlValueFidelityTests). A NULL element for
    /// non-nullable elements throws, as Npgsql does.
    /// </summary>
    private static object? FromCollection(System.Collections.IList list, Type target)
    {
        if (CollectionShape.Of(target) is not { } to || CollectionShape.Of(list.GetType()) is not { } from)
        {
            return null;
        }

        var items = Array.CreateInstance(to.Element, list.Count);
        for (var i = 0; i < items.Length; i++)
        {
            var item = list[i];
            if (item is null && !to.IsNullable && to.Scalar.IsValueType)
            {
                throw new InvalidCastException($"A NULL element cannot be read into a collection of {to.Element}.");
            }

            items.SetValue(item is null || from.Scalar == to.Scalar ? item : ChangeType(item, to.Scalar), i);
        }

        return to.FromArray(items);
    }

    private static object? FromReal(object value, Type target)
    {
        if (value is decimal m && Type.GetTypeCode(target) is >= TypeCode.SByte and <= TypeCode.UInt64)
        {
            // Exact: a double holds 53 bits, so a numeric above 2^53 read as a long would come back rounded.
            return FromInteger(decimal.Truncate(m), target);
        }

        double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return Type.GetTypeCode(target) switch
        {
            // Microsoft.Data.Sqlite reads a REAL as a decimal or a string through SQLite's text of it, whose scale
            // the decimal keeps: 1e-05 is 0.000010, not Convert's 0.00001 (NumericAffinityDecimalTests).
            TypeCode.Decimal when value is double real => SqliteNumberText.ParseDecimal(SqliteNumberText.Of(real)),
            TypeCode.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            TypeCode.Double => d,
            TypeCode.Single => (float)d,
            TypeCode.String when value is double real => SqliteNumberText.Of(real),
            TypeCode.String => Convert.ToString(value, CultureInfo.InvariantCulture),
            TypeCode.DateTime => FromJulianDay(d),
            TypeCode.Boolean or TypeCode.Char => FromInteger(checked((long)d), target),
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => Convert.ChangeType(Math.Truncate(d), target, CultureInfo.InvariantCulture),
            _ when target == typeof(TimeSpan) => TimeSpan.FromDays(d),
            _ when target == typeof(DateOnly) => DateOnly.FromDateTime(FromJulianDay(d)),
            // At offset zero, as Microsoft.Data.Sqlite reads it: the constructor without one takes the process's local
            // zone for a DateTime with no kind (JulianDayOffsetTests).
            _ when target == typeof(DateTimeOffset) => new DateTimeOffset(FromJulianDay(d), TimeSpan.Zero),
            _ => null,
        };
    }

    /// <summary>
    /// Microsoft.Data.Sqlite reads a REAL as a string or a decimal through SQLite's text of it, as anything else
    /// through the double.
    /// </summary>
    private static object FromRealWithText(RealWithText real, Type target) => Type.GetTypeCode(target) switch
    {
        TypeCode.String => real.Text,
        TypeCode.Decimal => SqliteNumberText.ParseDecimal(real.Text),
        _ => ChangeType(real.Value, target),
    };

    /// <summary>
    /// A Julian day number (<c>julianday()</c>), as Microsoft.Data.Sqlite reads a REAL or an INTEGER in a date column:
    /// rounded to the millisecond, as SQLite's own date functions do, with no kind (JulianDayDateTests).
    /// </summary>
    private static DateTime FromJulianDay(double julianDay)
    {
        long milliseconds = checked((long)((julianDay * 86_400_000.0) + 0.5) - (long)(JulianDayOfMinDate * 86_400_000.0));
        return new DateTime(checked(milliseconds * TimeSpan.TicksPerMillisecond));
    }

    private static object? FromInteger(object value, Type target)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return Type.GetTypeCode(target) switch
        {
            TypeCode.Boolean => Convert.ToInt64(value, c) != 0,
            TypeCode.Char => Convert.ToChar(value is bool ? Convert.ToInt64(value, c) : value, c),
            TypeCode.String => Convert.ToString(value, c),
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal =>
                target == typeof(ulong) && value is long signed ? unchecked((ulong)signed) : Convert.ChangeType(value, target, c),
            _ when target == typeof(TimeSpan) => TimeSpan.FromDays(Convert.ToDouble(value, c)),
            _ when target == typeof(DateTime) || target == typeof(DateOnly) || target == typeof(DateTimeOffset) =>
                FromReal(Convert.ToDouble(value, c), target), // a Julian day number, as a REAL
            _ => null,
        };
    }

    private static object? FromDateTime(DateTime dt, Type target)
    {
        if (target == typeof(DateTimeOffset))
        {
            return dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt);
        }

        if (target == typeof(DateOnly))
        {
            return DateOnly.FromDateTime(dt);
        }

        if (target == typeof(TimeOnly))
        {
            return TimeOnly.FromDateTime(dt);
        }

        return target == typeof(string) ? dt.ToString("O", CultureInfo.InvariantCulture) : null;
    }

    private static object? FromDateTimeOffset(DateTimeOffset dto, Type target)
    {
        if (target == typeof(DateTime))
        {
            return dto.DateTime;
        }

        return target == typeof(string) ? dto.ToString("O", CultureInfo.InvariantCulture) : null;
    }
}
