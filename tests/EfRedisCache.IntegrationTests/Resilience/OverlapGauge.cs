using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A slow database that also measures how many of its queries ran at once: each query that really reaches the
/// database waits <see cref="Delay"/> while counted as running. Register it after the cache's interceptor, so a
/// command the cache answered is neither delayed nor counted.
/// </summary>
internal sealed class OverlapGauge : DbCommandInterceptor
{
    private int _running;
    private int _mostAtOnce;

    public TimeSpan Delay { get; init; }

    /// <summary>The most queries that were running on the database at one moment.</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public void Reset() => Interlocked.Exchange(ref _mostAtOnce, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (!result.HasResult && eventData.CommandSource == CommandSource.LinqQuery)
        {
            Enter();
            Thread.Sleep(Delay);
            Interlocked.Decrement(ref _running);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (!result.HasResult && eventData.CommandSource == CommandSource.LinqQuery)
        {
            Enter();
            try
            {
                await Task.Delay(Delay, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        return result;
    }

    private void Enter()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
        {
        }
    }
}
