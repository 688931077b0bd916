using System.Data.Common;
using System.Globalization;

namespace EfRedisCache.Storage;

/// <summary>
/// The getters of <see cref="RecordingDataReader"/>: each one asks the inner reader, records what it returned in
/// the current row, and learns the getter for the column. An exception from the inner reader passes through
/// untouched (the filter only marks the recording as failed).
/// </summary>
internal sealed partial class RecordingDataReader
{
    public override bool GetBoolean(int ordinal)
    {
        try { return Record(ordinal, _inner.GetBoolean(ordinal), LearnedGetters.Boolean); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override byte GetByte(int ordinal)
    {
        try { return Record(ordinal, _inner.GetByte(ordinal), LearnedGetters.Byte); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override char GetChar(int ordinal)
    {
        try { return Record(ordinal, _inner.GetChar(ordinal), LearnedGetters.Char); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override DateTime GetDateTime(int ordinal)
    {
        try { return Record(ordinal, _inner.GetDateTime(ordinal), LearnedGetters.DateTime); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override decimal GetDecimal(int ordinal)
    {
        try { return Record(ordinal, _inner.GetDecimal(ordinal), LearnedGetters.Decimal); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override double GetDouble(int ordinal)
    {
        try { return Record(ordinal, _inner.GetDouble(ordinal), LearnedGetters.Double); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override float GetFloat(int ordinal)
    {
        try { return Record(ordinal, _inner.GetFloat(ordinal), LearnedGetters.Float); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override Guid GetGuid(int ordinal)
    {
        try { return Record(ordinal, _inner.GetGuid(ordinal), LearnedGetters.Guid); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override short GetInt16(int ordinal)
    {
        try { return Record(ordinal, _inner.GetInt16(ordinal), LearnedGetters.Int16); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override int GetInt32(int ordinal)
    {
        try { return Record(ordinal, _inner.GetInt32(ordinal), LearnedGetters.Int32); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override long GetInt64(int ordinal)
    {
        try { return Record(ordinal, _inner.GetInt64(ordinal), LearnedGetters.Int64); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override string GetString(int ordinal)
    {
        try { return Record(ordinal, _inner.GetString(ordinal), LearnedGetters.String); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override object GetValue(int ordinal)
    {
        try { return Record(ordinal, _inner.GetValue(ordinal), LearnedGetters.Raw); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override T GetFieldValue<T>(int ordinal)
    {
        try { return RecordFieldValue(ordinal, _inner.GetFieldValue<T>(ordinal)); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override async Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken)
    {
        try { return RecordFieldValue(ordinal, await _inner.GetFieldValueAsync<T>(ordinal, cancellationToken).ConfigureAwait(false)); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override bool IsDBNull(int ordinal)
    {
        try { return RecordNullCheck(ordinal, _inner.IsDBNull(ordinal)); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override async Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken)
    {
        try { return RecordNullCheck(ordinal, await _inner.IsDBNullAsync(ordinal, cancellationToken).ConfigureAwait(false)); }
        catch (Exception ex) when (Fail(ex)) { throw; }
    }

    public override int GetValues(object[] values)
    {
        int count;
        try { count = _inner.GetValues(values); }
        catch (Exception ex) when (Fail(ex)) { throw; }

        for (int i = 0; i < count; i++)
        {
            Record(i, values[i], LearnedGetters.Raw);
        }

        return count;
    }

    // Chunked and streaming reads are not recorded; the cell is filled with GetValue before the row is stored.
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        _inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        _inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override Stream GetStream(int ordinal) => _inner.GetStream(ordinal);

    public override TextReader GetTextReader(int ordinal) => _inner.GetTextReader(ordinal);

    private T RecordFieldValue<T>(int ordinal, T value) =>
        value is Stream or TextReader ? value : Record(ordinal, value, LearnedGetters.FieldValue<T>());

    private bool RecordNullCheck(int ordinal, bool isNull)
    {
        if (isNull && _row is { } row && (uint)ordinal < (uint)row.Length && ReferenceEquals(row[ordinal], Unread))
        {
            row[ordinal] = null;
            _estimatedBytes++;
        }

        return isNull;
    }

    /// <summary>Stores the first value EF Core read for a cell and learns the column's getter from it.</summary>
    private T Record<T>(int ordinal, T value, Func<DbDataReader, int, object?> getter)
    {
        if (_row is { } row && (uint)ordinal < (uint)row.Length && ReferenceEquals(row[ordinal], Unread))
        {
            row[ordinal] = Accept(value switch
            {
                TimeSpan span => CultureFreeTimeSpan(span, ordinal),
                DateTime or DateTimeOffset or DateOnly => ClockFreeDate(value, ordinal),
                _ => value,
            });
            _getters[ordinal] ??= getter;
        }

        return value;
    }

    /// <summary>
    /// Microsoft.Data.Sqlite parses TEXT as a <see cref="TimeSpan"/> in the current culture, so text a request in
    /// de-DE reads as a value is no <see cref="TimeSpan"/> in another request's culture, and the reverse
    /// (CultureTimeSpanTests). Such text is recorded as text, which each hit parses in its own culture; text in the
    /// invariant <c>c</c> format (EF Core's own) reads alike in every culture and is recorded as the value.
    /// </summary>
    private object CultureFreeTimeSpan(TimeSpan span, int ordinal) =>
        _innerIsSqlite
            && _inner.GetValue(ordinal) is string text
            && !(TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out TimeSpan invariant) && invariant == span)
            ? text
            : span;

    /// <summary>
    /// Microsoft.Data.Sqlite parses TEXT as a <see cref="DateTime"/>, <see cref="DateTimeOffset"/> or
    /// <see cref="DateOnly"/> with <c>DateTime.Parse</c> and its kin, which take a date or a year the text leaves out
    /// from the clock: <c>03:04:05</c> is today, <c>01/02</c> the 2nd of January of this year. The value would give a
    /// hit after midnight, or in a process whose zone is already on another day, the miss's date, so such text is
    /// recorded as text, which each hit converts at its own time (RecordingDataReaderUnitTests,
    /// CultureZoneStorageClassDifferentialTests). Text that begins with a full date (<c>yyyy-MM-dd</c>, as EF Core
    /// and SQLite write dates) reads alike at any time and is recorded as the value.
    /// </summary>
    private object ClockFreeDate(object value, int ordinal) =>
        _innerIsSqlite && _inner.GetValue(ordinal) is string text && !StartsWithFullDate(text) ? text : value;

    private static bool StartsWithFullDate(string text) =>
        text.Length >= 10
            && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[2]) && char.IsAsciiDigit(text[3])
            && text[4] == '-' && char.IsAsciiDigit(text[5]) && char.IsAsciiDigit(text[6])
            && text[7] == '-' && char.IsAsciiDigit(text[8]) && char.IsAsciiDigit(text[9]);

    /// <summary>Normalizes DBNull to null, checks the codec can store the value, and keeps the size estimate.</summary>
    private object? Accept(object? value)
    {
        switch (value)
        {
            case null or DBNull:
                _estimatedBytes++;
                return null;
            case string s:
                _estimatedBytes += s.Length + 2;
                break;
            case byte[] bytes:
                _estimatedBytes += bytes.Length + 3;

                // EF Core hands this array to the application, which may write into it while the rows are
                // still being read (a streamed query) or before coalesced callers replay them: record a copy.
                value = MutableValues.Copy(bytes);
                break;
            case RealWithText real:
                _estimatedBytes += real.Text.Length + 11;
                break;
            case EnumWithLabel labelled:
                _estimatedBytes += labelled.Label.Length + 13;
                break;
            case System.Collections.IList list when CollectionShape.Of(list.GetType()) is { } shape:
                _estimatedBytes += 4;
                foreach (var element in list)
                {
                    _estimatedBytes += element is string text ? text.Length + 2 : 9;
                }

                value = shape.Copy(list); // as for byte[]
                break;
            default:
                if (!ValueCodec.IsSupported(value.GetType()))
                {
                    FailForGood($"Values of type {value.GetType()} cannot be cached.");
                    return null;
                }

                _estimatedBytes += 9;
                break;
        }

        if (_estimatedBytes > _maxBytes)
        {
            FailForGood($"The result is larger than {_maxBytes} bytes.");
        }

        return value;
    }
}
