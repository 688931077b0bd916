using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Registered after the cache: once the first query's reader has run — its lookup has taken the stampede lock, its
/// store is still to come — Redis stops taking writes and scripts (<c>CLIENT PAUSE … WRITE</c>) for
/// <see cref="Pause"/>, while it stays connected. The miss's store and every release of its lock then time out.
/// The test unpauses in a <c>finally</c>: other tests share the server.
/// </summary>
internal sealed class PauseRedisWritesAfterReader(IServer admin) : DbCommandInterceptor
{
    private int _paused;

    public TimeSpan Pause { get; init; } = TimeSpan.FromSeconds(3);

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _paused, 1) == 0)
        {
            await admin.ExecuteAsync("CLIENT", "PAUSE", (long)Pause.TotalMilliseconds, "WRITE");
        }

        return result;
    }
}
