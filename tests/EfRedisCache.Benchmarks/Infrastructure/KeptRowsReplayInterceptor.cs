using System.Data.Common;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// EF Core's own cost for a query whose rows come from memory, safe for many callers at once: the rows are decoded
/// once from an EfRedisCache payload and every command is answered with the library's reader over them, as a hit
/// on rows kept in process is. <see cref="InProcessReplayInterceptor"/> is not safe to share between threads: each
/// <see cref="System.Data.DataTableReader"/> subscribes to its table's events when created and unsubscribes when
/// closed, and those subscriptions race, so concurrent callers measure the race rather than EF Core (64 callers
/// varied 1–3× between rounds).
/// </summary>
public sealed class KeptRowsReplayInterceptor(byte[] payload) : DbCommandInterceptor
{
    private readonly CachedResult _rows = CachedResultSerializer.Deserialize(payload);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(_rows));

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ReaderExecuting(command, eventData, result));
}
