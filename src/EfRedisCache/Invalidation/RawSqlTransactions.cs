using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using EfRedisCache.Sql;
using Microsoft.Extensions.Logging;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Transactions begun with raw SQL (<c>BEGIN</c> through <c>ExecuteSqlRaw</c>), which EF Core runs without
/// knowing: <c>CurrentTransaction</c> stays null. Without this registry the cache would take their writes for
/// committed ones — bumped before the commit, so another process could cache the old rows under the new
/// versions — and would store the connection's uncommitted rows.
/// </summary>
/// <remarks>
/// While one is open on a connection, that connection's reads bypass the cache. Its writes are invalidated at
/// once (the statement scanner may have missed a commit, for example SQLite's <c>RELEASE</c> of the savepoint
/// that began the transaction) and again when the transaction ends: at <c>COMMIT</c>, <c>END</c>,
/// <c>ROLLBACK</c> (a rollback costs misses only), at a <see cref="TransactionControl.Checkpoint"/>, and when the
/// connection closes (on most providers it stays marked: see <see cref="OnStateChange"/>) or is disposed. One per process, like
/// <see cref="TransactionInvalidations"/>: contexts registered with different settings may share a connection.
/// </remarks>
internal sealed class RawSqlTransactions
{
    private readonly ConditionalWeakTable<DbConnection, OpenTransaction> _open = [];
    private readonly Lock _lock = new();

    // Marked connections: while none is, IsOpen is one volatile read. A connection collected undisposed while marked
    // leaves the weak table by itself; its OpenTransaction's finalizer takes it off the count (stayed counted, every
    // later query of the process paid a table lookup: Invalidation/RawSqlOpenCountUnitTests).
    private int _openCount;

    /// <summary>The registry every cache registration of the process shares.</summary>
    public static RawSqlTransactions Process { get; } = new();

    /// <summary>Connections marked as inside a raw transaction, as <see cref="IsOpen"/> counts them.</summary>
    internal int OpenCount => Volatile.Read(ref _openCount);

    /// <summary>One volatile read while no raw transaction was ever left open, the common case.</summary>
    public bool IsOpen(DbConnection connection) => Volatile.Read(ref _openCount) != 0 && _open.TryGetValue(connection, out _);

    /// <summary>
    /// Applies what a command's transaction statements did to <paramref name="connection"/>; returns the
    /// invalidations to publish now (a transaction ended or reached a checkpoint), or null.
    /// </summary>
    public List<DeferredInvalidation>? Apply(DbConnection connection, TransactionControl control, ILogger logger)
    {
        switch (control)
        {
            case TransactionControl.Begin:
                Open(connection, logger);
                return null;
            case TransactionControl.Checkpoint:
                lock (_lock)
                {
                    // Kept as well: the checkpoint may not have committed them (a nested savepoint's RELEASE).
                    var deferred = Open(connection, logger).Deferred;
                    return deferred.Count == 0 ? null : [.. deferred];
                }

            case TransactionControl.End:
                return Close(connection) is { Deferred.Count: > 0 } closed ? closed.Deferred : null;
            default:
                return null;
        }
    }

    /// <summary>Holds <paramref name="set"/> back until the raw transaction open on <paramref name="connection"/> ends; false when none is.</summary>
    public bool TryDefer(DbConnection connection, InvalidationPublisher publisher, InvalidationSet set)
    {
        OpenTransaction? open;
        DeferredInvalidation[]? toMerge;
        lock (_lock)
        {
            if (!_open.TryGetValue(connection, out open))
            {
                return false;
            }

            toMerge = DeferredInvalidations.Append(open.Deferred, new DeferredInvalidation(publisher, set));
        }

        if (toMerge is not null)
        {
            // Merged outside the lock, which every raw transaction statement of the process takes; a transaction that
            // ended meanwhile is published by whoever closed it.
            DeferredInvalidations.MergeOutsideLock(
                _lock, (Registry: this, Connection: connection, Open: open), open.Deferred, toMerge,
                static (owner, _) => owner.Registry._open.TryGetValue(owner.Connection, out var current) && ReferenceEquals(current, owner.Open));
        }

        return true;
    }

    private OpenTransaction Open(DbConnection connection, ILogger logger)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(connection, out var open))
            {
                return open;
            }

            open = new OpenTransaction(this, logger);
            _open.Add(connection, open);
            Interlocked.Increment(ref _openCount);
            connection.StateChange += OnStateChange;
            connection.Disposed += OnDisposed;
            return open;
        }
    }

    private OpenTransaction? Close(DbConnection connection)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue(connection, out var open))
            {
                return null;
            }

            _open.Remove(connection);
            open.Forget();
            connection.StateChange -= OnStateChange;
            connection.Disposed -= OnDisposed;
            return open;
        }
    }

    /// <summary>
    /// A closed connection may still have its transaction: Microsoft.Data.Sqlite's pool keeps the native connection,
    /// transaction and all, for this connection's next open (EF Core closes a connection it opened after every
    /// command). So the connection stays marked until a <c>COMMIT</c>, <c>END</c> or <c>ROLLBACK</c> or its disposal;
    /// what its writes owe is published now, and again then. Npgsql (and SQLite with <c>Pooling=False</c>) rolls the transaction back on close (as it
    /// returns the physical connection to its pool, or as the session ends): there the mark ends with it. Kept, it
    /// never ended on a pooled context, whose connection is closed between leases and never disposed: every later
    /// lease bypassed the cache (found by review, <c>PostgreSql/PostgreSqlPooledRawTransactionTests</c>).
    /// </summary>
    private void OnStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState == ConnectionState.Open || sender is not DbConnection connection)
        {
            return;
        }

        if (e.CurrentState == ConnectionState.Closed && EndsTransactionOnClose(connection))
        {
            if (Close(connection) is { Deferred.Count: > 0 } ended)
            {
                Publish(ended.Deferred, ended.Logger);
            }

            return;
        }

        OpenTransaction? open;
        List<DeferredInvalidation>? owed;
        lock (_lock)
        {
            owed = _open.TryGetValue(connection, out open) && open.Deferred.Count > 0 ? [.. open.Deferred] : null;
        }

        Publish(owed, open?.Logger);
    }

    /// <summary>
    /// Providers known to end the session's transaction when the connection closes. Only those: a provider whose pool
    /// kept it would have its next reads inside the uncommitted transaction cached for everyone. Microsoft.Data.Sqlite
    /// with <c>Pooling=False</c> closes the native connection, and SQLite rolls back: kept, the mark made a pooled
    /// context bypass the cache in every later lease (<c>PooledRawSqlTransactionTests.Without_connection_pooling_…</c>).
    /// </summary>
    private static bool EndsTransactionOnClose(DbConnection connection)
        => connection.GetType() switch
        {
            { FullName: "Npgsql.NpgsqlConnection" } => true,
            var type when Keys.SqliteConnectionType.Of(type) is not null => PoolingIsOff(connection.ConnectionString), // an application's subclass too
            _ => false,
        };

    private static bool PoolingIsOff(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.TryGetValue("Pooling", out var pooling) && bool.TryParse(Convert.ToString(pooling, System.Globalization.CultureInfo.InvariantCulture), out var on) && !on;
        }
        catch (ArgumentException)
        {
            return false; // unparsable: kept marked, as before
        }
    }

    /// <summary>A disposed connection is forgotten, and what it owes published.</summary>
    private void OnDisposed(object? sender, EventArgs e)
    {
        if (sender is DbConnection connection && Close(connection) is { Deferred.Count: > 0 } closed)
        {
            Publish(closed.Deferred, closed.Logger);
        }
    }

    /// <summary>Raised inside Close() or Dispose(), which cannot await. The publisher never throws; what Redis does not take goes pending.</summary>
    private static void Publish(List<DeferredInvalidation>? owed, ILogger? logger)
    {
        if (owed is not null && logger is not null)
        {
            _ = InvalidationPublisher.PublishDeferredAsync(owed, logger, async: true).AsTask();
        }
    }

    /// <summary>
    /// One open raw transaction: what its writes owe, and the logger of the context that began it. Counted in
    /// <see cref="_openCount"/> until <see cref="Forget"/>, or until it is finalized: the weak table lets it go with its
    /// connection, which the application may drop undisposed (no event says so).
    /// </summary>
    private sealed class OpenTransaction(RawSqlTransactions registry, ILogger logger)
    {
        private int _counted = 1;

        ~OpenTransaction() => Forget();

        public ILogger Logger { get; } = logger;

        public List<DeferredInvalidation> Deferred { get; } = [];

        /// <summary>Takes it off the count, once: on its end (<see cref="Close"/>), or from the finalizer, which then finds it done.</summary>
        public void Forget()
        {
            if (Interlocked.Exchange(ref _counted, 0) != 0)
            {
                Interlocked.Decrement(ref registry._openCount);
            }
        }
    }
}
