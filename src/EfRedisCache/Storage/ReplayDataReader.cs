using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using EfRedisCache.Keys;

namespace EfRedisCache.Storage;

/// <summary>
/// Serves a <see cref="CachedResult"/> to EF Core as if the provider had just executed the command. EF Core calls
/// whatever <see cref="DbDataReader"/> member its shaper was compiled with, so every member behaves like a provider
/// reader: the same exceptions before <see cref="Read"/>, on NULL and after <see cref="Close"/>, and the same
/// conversions. This file holds navigation and schema; <c>ReplayDataReader.Values.cs</c> holds the getters.
/// </summary>
internal sealed partial class ReplayDataReader : DbDataReader
{
    private static readonly CachedColumn[] NoColumns = [];

    private readonly CachedResult _result;
    private int _setIndex;
    private int _rowIndex = -1;
    private object?[]? _row;
    private bool _closed;

    public ReplayDataReader(CachedResult result)
    {
        _result = result;
    }

    /// <summary>The command these rows were served for, as the cache keyed it (see <see cref="KeyedCommand"/>).</summary>
    public KeyedCommand Command { get; init; }

    public override int Depth => 0;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => _result.RecordsAffected;

    public override int FieldCount => Columns.Length;

    public override int VisibleFieldCount => FieldCount;

    public override bool HasRows => CurrentSet is { Rows.Count: > 0 };

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    private CachedResultSet? CurrentSet
    {
        get
        {
            ThrowIfClosed();
            return _setIndex < _result.ResultSets.Count ? _result.ResultSets[_setIndex] : null;
        }
    }

    private CachedColumn[] Columns => CurrentSet?.Columns ?? NoColumns;

    public override bool Read()
    {
        ThrowIfClosed();
        CachedResultSet? set = CurrentSet;
        if (set is not null && _rowIndex + 1 < set.Rows.Count)
        {
            _row = set.Rows[++_rowIndex];
            return true;
        }

        _rowIndex = set?.Rows.Count ?? 0;
        _row = null;
        return false;
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<bool>(cancellationToken) : Task.FromResult(Read());

    public override bool NextResult()
    {
        ThrowIfClosed();
        _row = null;
        _rowIndex = -1;
        if (_setIndex < _result.ResultSets.Count)
        {
            _setIndex++;
        }

        return _setIndex < _result.ResultSets.Count;
    }

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<bool>(cancellationToken) : Task.FromResult(NextResult());

    public override string GetName(int ordinal) => Column(ordinal).Name;

    public override string GetDataTypeName(int ordinal) => Column(ordinal).DataTypeName;

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => Column(ordinal).FieldType;

    /// <summary>Like SqlClient and Sqlite: an exact match first, then a case-insensitive one.</summary>
    [SuppressMessage("Usage", "CA2201:Do not raise reserved exception types", Justification = "DbDataReader contract: providers throw IndexOutOfRangeException for an unknown column.")]
    public override int GetOrdinal(string name)
    {
        CachedColumn[] columns = Columns;
        for (int i = 0; i < columns.Length; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (int i = 0; i < columns.Length; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException($"No column named '{name}'.");
    }

    public override DataTable GetSchemaTable() =>
        throw new NotSupportedException("A cached result has no schema table; EF Core does not ask for one.");

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close()
    {
        _closed = true;
        _row = null;
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException("Invalid attempt to call a method when the reader is closed.");
        }
    }

    private CachedColumn Column(int ordinal)
    {
        CachedColumn[] columns = Columns;
        return (uint)ordinal < (uint)columns.Length
            ? columns[ordinal]
            : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The reader has {columns.Length} columns.");
    }
}
