using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Makes the queries that really reach the database slow: every one waits <see cref="Delay"/>; the first
/// <see cref="HangFirst"/> ones wait <see cref="HangFor"/> instead, like a lock holder that went quiet.
/// Register it after the cache's interceptor, so a command the cache answered is not delayed.
/// </summary>
internal sealed class SlowDatabase : DbCommandInterceptor
{
    private int _started;
    private int _hanging;

    public TimeSpan Delay { get; set; }

    public int HangFirst { get; set; }

    public TimeSpan HangFor { get; set; }

    /// <summary>Set when the first hanging query has started to hang.</summary>
    public ManualResetEventSlim Hanging { get; } = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (!result.HasResult && eventData.CommandSource == CommandSource.LinqQuery)
        {
            Thread.Sleep(NextDelay());
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (!result.HasResult && eventData.CommandSource == CommandSource.LinqQuery)
        {
            await Task.Delay(NextDelay(), cancellationToken);
        }

        return result;
    }

    private TimeSpan NextDelay()
    {
        var n = Interlocked.Increment(ref _started);
        if (n <= HangFirst)
        {
            Interlocked.Increment(ref _hanging);
            Hanging.Set();
            return HangFor;
        }

        return Delay;
    }
}
