using System.Collections.Concurrent;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>
/// Local stampede protection: N concurrent misses on one entry in this process cost one database query;
/// the others wait for the leader's rows, within a bound, and go to the database themselves if it passes.
/// Flights are per entry and per dependency versions: misses that read the versions a write moved cannot share the
/// rows of a leader that read the old ones, so they fly a flight of their own instead of each querying alone
/// (found by review: <c>StampedeAfterWriteTests</c>).
/// </summary>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<(string Hash, RedisValue Versions), Flight> _flights = new();

    /// <summary>Starts a flight for <paramref name="hash"/> under <paramref name="versions"/>, led by a query on <paramref name="context"/>, or returns the one already under way.</summary>
    public Flight Join(string hash, RedisValue versions, DbContext context, out bool isLeader)
    {
        var mine = new Flight(versions, context.ContextId);
        var flight = _flights.GetOrAdd((hash, versions), mine);
        isLeader = ReferenceEquals(flight, mine);
        return flight;
    }

    /// <summary>
    /// Whether <paramref name="context"/> leads a flight for <paramref name="hash"/> other than <paramref name="flight"/>:
    /// an outer read of the same entry, under the versions from before a write the context made since, whose
    /// Redis lock the new flight's leader would otherwise wait on as if another process held it, and which the leader of
    /// another context's flight under the new versions may be waiting on (so a follower on this context must not wait
    /// for that leader). Scans the flights under way, which are few; asked only on a miss that would wait.
    /// </summary>
    public bool LeadsAnother(string hash, DbContext context, Flight flight)
    {
        foreach (var (key, other) in _flights)
        {
            if (key.Hash == hash && !ReferenceEquals(other, flight) && other.Leader == context.ContextId)
            {
                return true;
            }
        }

        return false;
    }

    public void Land(string hash, Flight flight, CachedResult? result)
    {
        _flights.TryRemove(new KeyValuePair<(string, RedisValue), Flight>((hash, flight.Versions), flight));
        flight.Complete(result);
    }

    /// <summary>
    /// Waits for the leader. Null when it failed, passed the bound, or read under other versions. A waiter
    /// that passes the bound retires the flight, so a leader that never lands (a reader the application
    /// never disposed) delays the misses of one bound, not every miss after it. Null at once, the flight
    /// left alone, for a waiter on the leader's own <paramref name="context"/>: a context runs one operation at
    /// a time, so that waiter is nested in the loop over the leader's rows, and the leader lands only after it.
    /// </summary>
    /// <remarks><paramref name="cancellationToken"/> (async waiters only) ends the wait with <see cref="OperationCanceledException"/>; the flight goes on for the others.</remarks>
    public async ValueTask<CachedResult?> WaitAsync(string hash, Flight flight, RedisValue versions, DbContext context, TimeSpan bound, TimeProvider time, bool async, CancellationToken cancellationToken = default)
    {
        if (flight.Versions != versions || flight.Leader == context.ContextId)
        {
            return null;
        }

        try
        {
            if (async)
            {
                return await flight.Result.WaitAsync(bound, time, cancellationToken).ConfigureAwait(false);
            }

            if (flight.Result.Wait(bound, CancellationToken.None)) // the synchronous path has no token
            {
                return flight.Result.Result;
            }
        }
        catch (TimeoutException)
        {
        }

        _flights.TryRemove(new KeyValuePair<(string, RedisValue), Flight>((hash, flight.Versions), flight));
        return null;
    }
}
