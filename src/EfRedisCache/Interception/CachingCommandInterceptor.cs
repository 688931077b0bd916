using System.Data.Common;
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

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => _reads.BeforeReaderAsync(command, eventData, result, async: false).RunSynchronously();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
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
