using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>One database query in progress for one entry, that concurrent misses in this process wait for.</summary>
internal sealed class Flight
{
    private readonly TaskCompletionSource<CachedResult?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Flight(RedisValue versions, DbContextId leader, bool isEarlyRefresh = false)
    {
        Versions = versions;
        Leader = leader;
        IsEarlyRefresh = isEarlyRefresh;
    }

    /// <summary>When the leader started, on the real clock, as the waits for it run (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long StartedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The dependency versions the leader read. A waiter joins only under the same versions, so it never receives rows from before a write it could already see.</summary>
    public RedisValue Versions { get; }

    /// <summary>
    /// The context the leader's query runs on. A context runs one operation at a time, so a miss on the same context
    /// while the flight is under way is nested in the leader's own loop over its rows, and must not wait for it.
    /// An id, not the context: a flight whose reader is never disposed must not keep its context alive; a pooled
    /// context's next lease has another id.
    /// </summary>
    public DbContextId Leader { get; }

    /// <summary>
    /// Led by a hit that refreshes its entry early (XFetch), which no miss waits for (<see cref="SingleFlight.Join"/>):
    /// its reader may be left open by the application and never land the flight.
    /// </summary>
    public bool IsEarlyRefresh { get; }

    public Task<CachedResult?> Result => _completion.Task;

    public void Complete(CachedResult? result) => _completion.TrySetResult(result);
}
