using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace EfRedisCache.Storage;

/// <summary>
/// Wraps the provider's reader on a cache miss. EF Core reads through it as usual while it records each cell in
/// the type EF Core asked for, so the provider's own conversions are stored and replay needs no guessing. When the
/// reader closes it reports the whole result exactly once through the completion callback: a
/// <see cref="CachedResult"/> and a null reason, or null and the reason it could not be cached (unsupported type,
/// too large, an exception). Navigation lives here, getters in <c>.Values.cs</c>, draining and reporting in
/// <c>.Completion.cs</c>.
/// </summary>
/// <remarks>
/// Assumes the default <see cref="CommandBehavior"/>: filling skipped cells reads columns out of order, which
/// <see cref="CommandBehavior.SequentialAccess"/> forbids, so the caller should not record such commands.
/// </remarks>
internal sealed partial class RecordingDataReader : DbDataReader
{
    /// <summary>Marks a cell EF Core has not read yet; distinct from <c>null</c>, which is SQL NULL.</summary>
    private static readonly object Unread = new();

    private readonly DbDataReader _inner;

    /// <summary>Microsoft.Data.Sqlite's reader (named as <see cref="Keys.DatabaseIdentity.IsSqlite"/> names its connection).</summary>
    private readonly bool _innerIsSqlite;
    private readonly int _maxBytes;
    private readonly Action<CachedResult?, string?> _onCompleted;
    private readonly List<CachedResultSet> _sets = new(1);

    private CachedColumn[]? _columns;
    private List<object?[]> _rows = [];
    private Func<DbDataReader, int, object?>?[] _getters = [];
    private object?[]? _row;
    private bool _setExhausted;
    private bool _readerExhausted;
    private long _estimatedBytes;
    private string? _failure;

    /// <param name="inner">The provider's reader, positioned on its first result set.</param>
    /// <param name="maxBytesHint">Give up once the recorded values are estimated to exceed this many bytes.</param>
    /// <param name="onCompleted">Called once on Close/Dispose with the result, or with null and the reason.</param>
    public RecordingDataReader(DbDataReader inner, int maxBytesHint, Action<CachedResult?, string?> onCompleted)
    {
        _inner = inner;
        _innerIsSqlite = inner.GetType().Name.Contains("Sqlite", StringComparison.Ordinal);
        _maxBytes = maxBytesHint;
        _onCompleted = onCompleted;
        StartResultSet();
    }

    public override int Depth => _inner.Depth;

    public override int FieldCount => _inner.FieldCount;

    public override int VisibleFieldCount => _inner.VisibleFieldCount;

    public override bool HasRows => _inner.HasRows;

    public override bool IsClosed => _inner.IsClosed;

    public override int RecordsAffected => _inner.RecordsAffected;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        CommitRow();
        bool hasRow;
        try
        {
            hasRow = _inner.Read();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        OnRead(hasRow);
        return hasRow;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        CommitRow();
        bool hasRow;
        try
        {
            hasRow = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        OnRead(hasRow);
        return hasRow;
    }

    public override bool NextResult()
    {
        RunSynchronously(BeforeNextResult(async: false, CancellationToken.None));
        bool hasResult;
        try
        {
            hasResult = _inner.NextResult();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        OnNextResult(hasResult);
        return hasResult;
    }

    public override async Task<bool> NextResultAsync(CancellationToken cancellationToken)
    {
        await BeforeNextResult(async: true, cancellationToken).ConfigureAwait(false);
        bool hasResult;
        try
        {
            hasResult = await _inner.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        OnNextResult(hasResult);
        return hasResult;
    }

    public override string GetName(int ordinal) => _inner.GetName(ordinal);

    public override int GetOrdinal(string name) => _inner.GetOrdinal(name);

    public override string GetDataTypeName(int ordinal) => _inner.GetDataTypeName(ordinal);

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => _inner.GetFieldType(ordinal);

    public override DataTable? GetSchemaTable() => _inner.GetSchemaTable();

    /// <summary>Enumerates through this reader, not the inner one, so enumerated values are recorded too.</summary>
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <summary>Captures the schema of the result set the inner reader is now on.</summary>
    private void StartResultSet()
    {
        _setExhausted = false;
        if (_failure is not null)
        {
            return;
        }

        try
        {
            int count = _inner.FieldCount;
            var columns = new CachedColumn[count];
            for (int i = 0; i < count; i++)
            {
                columns[i] = new CachedColumn(_inner.GetName(i), _inner.GetDataTypeName(i), _inner.GetFieldType(i));
            }

            _columns = columns;
            _rows = [];
            _getters = new Func<DbDataReader, int, object?>?[count];
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void OnRead(bool hasRow)
    {
        if (!hasRow)
        {
            _setExhausted = true;
        }
        else if (_failure is null && _columns is not null)
        {
            _row = NewRow(_columns.Length);
        }
    }

    private void OnNextResult(bool hasResult)
    {
        if (hasResult)
        {
            StartResultSet();
        }
        else
        {
            _setExhausted = true;
            _readerExhausted = true;
        }
    }

    private static object?[] NewRow(int length)
    {
        var row = new object?[length];
        Array.Fill(row, Unread);
        return row;
    }
}
