using System.Data.Common;

namespace EfRedisCache.Storage;

/// <summary>
/// How <see cref="RecordingDataReader"/> finishes: rows are completed before the reader moves on, the rest of the
/// result is drained when EF Core stops early (LINQ <c>First()</c> reads one row and disposes), and the outcome is
/// reported once. Draining is best effort for the cache only: its exceptions are swallowed and reported as a reason,
/// because the caller already has the rows it asked for. Sync and async share one implementation (the
/// <c>async</c> flag), so a synchronous close never waits on a task.
/// </summary>
internal sealed partial class RecordingDataReader
{
    /// <summary>The most rows a close will read that EF Core did not ask for.</summary>
    internal const int MaxDrainRows = 10_000;

    private int _drainedRows;
    private bool _completed;
    private bool _innerDisposed;

    public override void Close()
    {
        RunSynchronously(Complete(async: false));
        if (!_innerDisposed)
        {
            _inner.Close();
        }
    }

    public override async Task CloseAsync()
    {
        await Complete(async: true).ConfigureAwait(false);
        await _inner.CloseAsync().ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await Complete(async: true).ConfigureAwait(false);
        if (!_innerDisposed)
        {
            _innerDisposed = true;
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // calls Close(), which completes the recording
        if (disposing && !_innerDisposed)
        {
            _innerDisposed = true;
            _inner.Dispose();
        }
    }

    /// <summary>Runs the shared sync/async code with <c>async: false</c>, which never yields.</summary>
    private static void RunSynchronously(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("A synchronous recording step did not complete synchronously.");
        }

        task.GetAwaiter().GetResult();
    }

    /// <summary>Stores the current row, first reading every cell EF Core skipped with the column's learned getter.</summary>
    private void CommitRow()
    {
        object?[]? row = _row;
        _row = null;
        if (row is null || _failure is not null)
        {
            return;
        }

        try
        {
            for (int i = 0; i < row.Length && _failure is null; i++)
            {
                if (ReferenceEquals(row[i], Unread))
                {
                    row[i] = Accept(ReadSkippedCell(i));
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }

        if (_failure is null)
        {
            _rows.Add(row);
        }
    }

    private object? ReadSkippedCell(int ordinal)
    {
        Func<DbDataReader, int, object?>? getter = _getters[ordinal];
        if (getter is null || ReferenceEquals(getter, LearnedGetters.Raw))
        {
            object? value;
            try
            {
                value = LearnedGetters.Raw(_inner, ordinal);
            }
            catch (InvalidCastException) when (!_innerIsSqlite)
            {
                // Npgsql's GetValue refuses an array of value types holding a NULL; its nullable array is the value.
                // Read here, not in the filter: a filter runs before the provider's own finally blocks have put its
                // reader back in order.
                if (!NpgsqlNullElementArrays.TryRead(_inner, ordinal, out value))
                {
                    throw;
                }
            }

            if (value is double real && _innerIsSqlite)
            {
                return WithSqliteText(real, ordinal);
            }

            // Npgsql reads both 9999-12-31 and infinity as DateOnly.MaxValue, where GetDateTime reads them apart
            // (midnight, DateTime.MaxValue). The DateTime keeps which one it was and reads back as that DateOnly too.
            // An array cannot be read apart that way: such a result is not stored.
            if ((value is IEnumerable<DateOnly> days && days.Contains(DateOnly.MaxValue))
                || (value is IEnumerable<DateOnly?> maybeDays && maybeDays.Contains(DateOnly.MaxValue)))
            {
                Fail("An array of dates holds DateOnly.MaxValue, which may stand for infinity or for 9999-12-31.");
            }

            return value switch
            {
                DateOnly day when day == DateOnly.MaxValue => _inner.GetDateTime(ordinal),
                Enum when !_innerIsSqlite => WithLabel(value, ordinal),
                _ => value,
            };
        }

        if (_inner.IsDBNull(ordinal))
        {
            return null;
        }

        object? typed = getter(_inner, ordinal);
        return typed switch
        {
            TimeSpan span => CultureFreeTimeSpan(span, ordinal),
            DateTime or DateTimeOffset or DateOnly => ClockFreeDate(typed, ordinal),
            _ => typed,
        };
    }

    /// <summary>
    /// A REAL in a cell EF Core skipped, which a hit may read as a string or a decimal: Microsoft.Data.Sqlite gives
    /// those from SQLite's text of the REAL, which only SQLite can write exactly, so it is asked while the row is
    /// still current and kept where <see cref="SqliteNumberText.Of"/> would not write the same.
    /// </summary>
    private object WithSqliteText(double real, int ordinal)
    {
        string text = _inner.GetString(ordinal);
        return text == SqliteNumberText.Of(real) ? real : new RealWithText(real, text);
    }

    /// <summary>
    /// An enum <c>GetValue</c> gave (Npgsql's, for a PostgreSQL enum mapped with <c>MapEnum</c>), which a hit may read
    /// as a string: the provider gives the label there, which only it knows (its name translator, <c>[PgName]</c>), so
    /// it is asked while the row is current. A provider that cannot give one fails the recording: a miss, never the
    /// number where the database gives a label.
    /// </summary>
    private EnumWithLabel WithLabel(object value, int ordinal) => new(
        Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture),
        _inner.GetString(ordinal));

    private async ValueTask BeforeNextResult(bool async, CancellationToken cancellationToken)
    {
        CommitRow();
        if (!_setExhausted && _failure is null)
        {
            // The provider would skip the unread rows; the cache entry still needs them.
            try
            {
                await DrainSet(async, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
        }

        FinishSet();
    }

    /// <summary>
    /// EF Core failed the command after the reader was wrapped (an interceptor after the cache threw from
    /// <c>ReaderExecuted</c>): it never hands this reader to a query, so nobody closes it. Reports the recording as
    /// not cacheable now, so local waiters and the stampede lock are not held until their time bound; the inner
    /// reader is left to EF Core's clean-up of the failed command, as it would be without the cache.
    /// </summary>
    public void Abandon(string reason)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Fail(reason);
        Report(null);
    }

    private async ValueTask Complete(bool async)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        CachedResult? result = null;
        try
        {
            if (_failure is null)
            {
                await DrainAll(async).ConfigureAwait(false);
            }

            if (_failure is null)
            {
                result = new CachedResult(_sets, _inner.RecordsAffected);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
            result = null;
        }

        Report(result);
    }

    private void Report(CachedResult? result)
    {
        try
        {
            _onCompleted(result, result is null ? _failure : null);
        }
        catch (Exception)
        {
            // The callback stores into the cache; its failure must fail neither a query that already succeeded nor
            // replace the exception of a command EF Core failed (Abandon).
        }
    }

    private async ValueTask DrainAll(bool async)
    {
        CommitRow();
        if (!_setExhausted)
        {
            await DrainSet(async, CancellationToken.None).ConfigureAwait(false);
        }

        while (_failure is null && !_readerExhausted)
        {
            FinishSet();
            bool hasResult = async ? await _inner.NextResultAsync().ConfigureAwait(false) : _inner.NextResult();
            OnNextResult(hasResult);
            if (hasResult)
            {
                await DrainSet(async, CancellationToken.None).ConfigureAwait(false);
            }
        }

        FinishSet();
    }

    private async ValueTask DrainSet(bool async, CancellationToken cancellationToken)
    {
        while (_failure is null && (async ? await _inner.ReadAsync(cancellationToken).ConfigureAwait(false) : _inner.Read()))
        {
            if (++_drainedRows > MaxDrainRows)
            {
                Fail($"More than {MaxDrainRows} unread rows were left when the reader closed.");
                return;
            }

            _row = NewRow(_columns?.Length ?? 0);
            CommitRow();
        }

        _setExhausted = true;
    }

    private void FinishSet()
    {
        if (_columns is not null && _failure is null)
        {
            _sets.Add(new CachedResultSet(_columns, _rows));
        }

        _columns = null;
    }

    /// <remarks>
    /// The reason is logged (event 1003), so it names the exception's type only: a provider's message may quote the
    /// value it could not read, a row's or a parameter's, and the cache's logs carry no values (README). A getter's or
    /// Read's exception reaches the application itself, message and all.
    /// </remarks>
    private bool Fail(Exception ex)
    {
        Fail($"The provider's reader threw {ex.GetType().Name}");
        return false;
    }

    /// <summary>
    /// True when the recording gave up for a reason the same query meets again on the next miss: a value the codec
    /// cannot store, or a result larger than the bound (not an exception, nor rows left unread by an early stop).
    /// </summary>
    public bool IsUnstorable { get; private set; }

    private void FailForGood(string reason)
    {
        IsUnstorable |= _failure is null;
        Fail(reason);
    }

    private void Fail(string reason)
    {
        _failure ??= reason;
        _row = null;
        _columns = null;
        _rows = [];
        _sets.Clear();
    }
}
