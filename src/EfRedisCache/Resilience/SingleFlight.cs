using System.Collections.Concurrent;
using EfRedisCache.Storage;
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

    /// <summary>Starts a flight for <paramref name="hash"/> under <paramref name="versions"/>, or returns the one already under way.</summary>
    public Flight Join(string hash, RedisValue versions, out bool isLeader)
    {
        var mine = new Flight(versions);
        var flight = _flights.GetOrAdd((hash, versions), mine);
        isLeader = ReferenceEquals(flight, mine);
        return flight;
    }

    public void Land(string hash, Flight flight, CachedResult? result)
    {
        _flights.TryRemove(new KeyValuePair<(string, RedisValue), Flight>((hash, flight.Versions), flight));
        flight.Complete(result);
    }

    /// <summary>
    /// Waits for the leader. Null when it failed, passed the bound, or read under other versions. A waiter
    /// that passes the bound retires the flight, so a leader that never lands (a reader the application
    /// never disposed) delays the misses of one bound, not every miss after it.
    /// </summary>
    /// <remarks><paramref name="cancellationToken"/> (async waiters only) ends the wait with <see cref="OperationCanceledException"/>; the flight goes on for the others.</remarks>
    public async ValueTask<CachedResult?> WaitAsync(string hash, Flight flight, RedisValue versions, TimeSpan bound, TimeProvider time, bool async, CancellationToken cancellationToken = default)
    {
        if (flight.Versions != versions)
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
