using System.Data.Common;

namespace EfRedisCache.Storage;

/// <summary>
/// The value getters of <see cref="ReplayDataReader"/>. All of them go through <see cref="Get{T}"/>: a stored value
/// that already has the requested type is returned as is (the common case, because the recording reader stored what
/// EF Core read), anything else goes through <see cref="ValueConverter"/>. A <c>byte[]</c> leaves as a copy: the rows
/// are shared by every reader replaying them (coalesced misses, results kept in process), and an application that
/// writes into an entity's array must not change what the next query returns.
/// </summary>
internal sealed partial class ReplayDataReader
{
    public override object GetValue(int ordinal) => Cell(ordinal) is { } value ? MutableValues.Copy(value) : DBNull.Value;

    public override int GetValues(object[] values)
    {
        object?[] row = CurrentRow();
        int count = Math.Min(values.Length, row.Length);
        for (int i = 0; i < count; i++)
        {
            values[i] = row[i] is { } value ? MutableValues.Copy(value) : DBNull.Value;
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => Cell(ordinal) is null;

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<bool>(cancellationToken) : Task.FromResult(IsDBNull(ordinal));

    public override bool GetBoolean(int ordinal) => Get<bool>(ordinal);

    public override byte GetByte(int ordinal) => Get<byte>(ordinal);

    public override char GetChar(int ordinal) => Get<char>(ordinal);

    public override DateTime GetDateTime(int ordinal) => Get<DateTime>(ordinal);

    public override decimal GetDecimal(int ordinal) => Get<decimal>(ordinal);

    public override double GetDouble(int ordinal) => Get<double>(ordinal);

    public override float GetFloat(int ordinal) => Get<float>(ordinal);

    public override Guid GetGuid(int ordinal) => Get<Guid>(ordinal);

    public override short GetInt16(int ordinal) => Get<short>(ordinal);

    public override int GetInt32(int ordinal) => Get<int>(ordinal);

    public override long GetInt64(int ordinal) => Get<long>(ordinal);

    public override string GetString(int ordinal) => Get<string>(ordinal);

    public override Stream GetStream(int ordinal) => new MemoryStream(Get<byte[]>(ordinal), writable: false);

    public override TextReader GetTextReader(int ordinal) => new StringReader(Get<string>(ordinal));

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        CopyOut(Get<byte[]>(ordinal), dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        CopyOut(Get<string>(ordinal).AsSpan(), dataOffset, buffer, bufferOffset, length);

    /// <summary>
    /// NULL gives <see cref="DBNull"/> for <c>object</c>, <c>null</c> for reference and nullable types (as
    /// Microsoft.Data.Sqlite does) and an <see cref="InvalidCastException"/> for value types.
    /// </summary>
    public override T GetFieldValue<T>(int ordinal)
    {
        object? value = Cell(ordinal);
        if (value is T typed)
        {
            return typeof(T).IsValueType ? typed : (T)MutableValues.Copy(value);
        }

        if (value is null)
        {
            if (typeof(T) == typeof(object) || typeof(T) == typeof(DBNull))
            {
                return (T)(object)DBNull.Value;
            }

            return default(T) is null ? default! : throw NullCell(ordinal);
        }

        return (T)ValueConverter.ChangeType(value, typeof(T));
    }

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(GetFieldValue<T>(ordinal));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private T Get<T>(int ordinal)
    {
        object? value = Cell(ordinal);
        return value switch
        {
            T typed => typed,
            null => throw NullCell(ordinal),
            _ => ValueConverter.To<T>(value),
        };
    }

    private object? Cell(int ordinal)
    {
        object?[] row = CurrentRow();
        return (uint)ordinal < (uint)row.Length
            ? row[ordinal]
            : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The reader has {row.Length} columns.");
    }

    private object?[] CurrentRow()
    {
        ThrowIfClosed();
        return _row ?? throw new InvalidOperationException("No data exists for the row/column: call Read() first, and only while it returns true.");
    }

    private static InvalidCastException NullCell(int ordinal) =>
        new($"The data is NULL at ordinal {ordinal}. This method can't be called on NULL values. Check using IsDBNull before calling.");

    /// <summary>The provider contract for GetBytes/GetChars: a null buffer asks for the length.</summary>
    private static long CopyOut<T>(ReadOnlySpan<T> source, long dataOffset, T[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null)
        {
            return source.Length;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((uint)bufferOffset > (uint)buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferOffset));
        }

        if (dataOffset >= source.Length)
        {
            return 0;
        }

        int count = (int)Math.Min(Math.Min(length, source.Length - dataOffset), buffer.Length - bufferOffset);
        source.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }
}
