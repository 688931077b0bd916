using System.Data.Common;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// A hit without Redis: every command is answered from an EfRedisCache payload held in memory, decoded and
/// replayed by the library's own reader, as a hit does after its probe. Against <see cref="InProcessReplayInterceptor"/>
/// it measures what the library's decode and reader cost beyond EF Core's own work.
/// </summary>
public sealed class PayloadReplayInterceptor(byte[] payload) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(CachedResultSerializer.Deserialize(payload)));

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ReaderExecuting(command, eventData, result));
}
