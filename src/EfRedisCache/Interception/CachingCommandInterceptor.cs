using System.Data.Common;
using EfRedisCache.Invalidation;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Interception;

/// <summary>
/// The cache's place in EF Core's command pipeline: reads go through <see cref="QueryReadPath"/> (a miss's rows then through <see cref="MissStore"/>), writes
/// through <see cref="CommandWriteInvalidation"/>. Sync and async overloads share one code path.
/// </summary>
internal sealed class CachingCommandInterceptor : DbCommandInterceptor
{
    private readonly QueryReadPath _reads;
    private readonly MissStore _misses;
    private readonly CommandWriteInvalidation _writes;

    public CachingCommandInterceptor(CacheRuntime runtime)
    {
        _misses = new MissStore(runtime);
        _reads = new QueryReadPath(runtime, _misses);
        _writes = new CommandWriteInvalidation(runtime);
    }

    // A reader may write (UPDATE … RETURNING), and is closed, its write published, where the non-query commands below
    // end: its connection's scope is recorded as theirs is (PostgreSqlTransactionScopeTests.An_async_writing_reader_…).
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ConnectionEnlistments.CommandStarting(command.Connection);
        return _reads.BeforeReaderAsync(command, eventData, result, async: false).RunSynchronously();
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ConnectionEnlistments.CommandStarting(command.Connection);
        return _reads.BeforeReaderAsync(command, eventData, result, async: true, cancellationToken);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        _writes.AfterExecutedAsync(command, eventData, isNonQuery: false, async: false).RunSynchronously();
        return _misses.AfterReader(command, eventData.Context, _reads.AfterReaderAsync(command, eventData, result, async: false).RunSynchronously());
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await _writes.AfterExecutedAsync(command, eventData, isNonQuery: false, async: true).ConfigureAwait(false);
        return _misses.AfterReader(command, eventData.Context, await _reads.AfterReaderAsync(command, eventData, result, async: true, cancellationToken).ConfigureAwait(false));
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        _writes.AfterReaderClosedAsync(command, eventData.Context, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        await _writes.AfterReaderClosedAsync(command, eventData.Context, async: true).ConfigureAwait(false);
        return result;
    }

    // A write's end may run on a pool thread where a thread-bound scope is not current: its connection's scope is recorded
    // now, on the caller's thread, where EF Core has just enlisted a connection opened before the scope.
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ConnectionEnlistments.CommandStarting(command.Connection);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ConnectionEnlistments.CommandStarting(command.Connection);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ConnectionEnlistments.CommandStarting(command.Connection);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ConnectionEnlistments.CommandStarting(command.Connection);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        _writes.AfterExecutedAsync(command, eventData, isNonQuery: true, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await _writes.AfterExecutedAsync(command, eventData, isNonQuery: true, async: true).ConfigureAwait(false);
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        _writes.AfterExecutedAsync(command, eventData, isNonQuery: false, async: false).RunSynchronously();
        return result;
    }

    public override async ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        await _writes.AfterExecutedAsync(command, eventData, isNonQuery: false, async: true).ConfigureAwait(false);
        return result;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        _misses.Abandon(command);
        _writes.AfterFailedAsync(command, eventData, async: false).RunSynchronously();
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _misses.Abandon(command);
        return _writes.AfterFailedAsync(command, eventData, async: true).AsTask();
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData)
    {
        _misses.Abandon(command);
        _writes.AfterFailedAsync(command, eventData, async: false).RunSynchronously();
    }

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _misses.Abandon(command);
        return _writes.AfterFailedAsync(command, eventData, async: true).AsTask();
    }
}
