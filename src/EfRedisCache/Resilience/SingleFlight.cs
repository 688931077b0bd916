using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly TimeSpan _bound;

    /// <summary>When the next sweep may run (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    private long _nextSweep;

    /// <summary>Flights held past which a new leader looks for ones older than the bound.</summary>
    internal const int SweepAbove = 1_024;

    /// <param name="bound">How long a miss waits for a leader (<see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>), and so how old a flight may be before nobody waits for it.</param>
    public SingleFlight(TimeSpan bound)
    {
        _bound = bound;
    }

    /// <summary>The flights held now, landed or not.</summary>
    internal int Count => _flights.Count;

    /// <summary>
    /// Starts a flight for <paramref name="hash"/> under <paramref name="versions"/>, led by a query on <paramref name="context"/>, or returns the one already under way.
    /// The one under way is taken over, and led by this caller, when no one should wait for it:
    /// <list type="bullet">
    /// <item>An early refresh, met by a miss. A refresh only spares hits the database while the entry is still valid; a
    /// miss comes after the entry expired or was evicted, and a refresh whose reader the application leaves open (an
    /// enumerator never disposed) never lands, so its misses waited the whole <c>StampedeWaitTimeout</c>. A refresh that
    /// meets a live flight is served the hit.</item>
    /// <item>A flight older than the wait bound, which any waiter has given up on and whose Redis lock has expired: its
    /// reader was abandoned. The next miss, however much later, joined it, waited the whole bound and stored nothing.</item>
    /// </list>
    /// Found by review (<c>EarlyRefreshTests</c>, <c>AbandonedMissTests</c>). A leader taken over still lands its own
    /// flight, which nobody waits for any more.
    /// </summary>
    public Flight Join(string hash, RedisValue versions, DbContext context, out bool isLeader, bool earlyRefresh = false)
    {
        var key = (hash, versions);
        var mine = new Flight(versions, context.ContextId, earlyRefresh);
        while (true)
        {
            var flight = _flights.GetOrAdd(key, mine);
            if (ReferenceEquals(flight, mine))
            {
                SweepIfCrowded();
                isLeader = true;
                return mine;
            }

            var deadLeader = Stopwatch.GetElapsedTime(flight.StartedTimestamp) >= _bound;
            if (!deadLeader && (earlyRefresh || !flight.IsEarlyRefresh))
            {
                isLeader = false;
                return flight;
            }

            if (_flights.TryUpdate(key, mine, flight))
            {
                isLeader = true;
                return mine;
            }
        }
    }

    /// <summary>
    /// Retires the flights older than the wait bound, looking at most once per bound and only while more than
    /// <see cref="SweepAbove"/> are held. A leader whose reader the application never disposes (an enumerator left
    /// open, its context disposed) never lands; <see cref="Join"/> takes such a flight over only when a miss of the same
    /// entry under the same versions meets it, and misses of other entries, or after a write moved the versions, never
    /// do: a service that left one such reader per request held a flight per request for good (found by review,
    /// <c>SingleFlightUnitTests.Flights_whose_leaders_never_land_are_not_held_for_good</c>). Retiring one is what a
    /// waiter that gave up on it does: no miss waits for it any more, and its own waiters keep their own bounds.
    /// </summary>
    private void SweepIfCrowded()
    {
        // The clock first: a dictionary's count takes all its locks, which every miss would pay.
        var now = Stopwatch.GetTimestamp();
        var due = Volatile.Read(ref _nextSweep);
        if (now < due
            || Interlocked.CompareExchange(ref _nextSweep, now + (long)(_bound.TotalSeconds * Stopwatch.Frequency), due) != due
            || _flights.Count <= SweepAbove)
        {
            return;
        }

        foreach (var entry in _flights)
        {
            if (Stopwatch.GetElapsedTime(entry.Value.StartedTimestamp, now) >= _bound)
            {
                _flights.TryRemove(entry); // that very flight: one a miss put in its place since stays
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="context"/> leads a flight other than <paramref name="flight"/>, of any entry. A context
    /// runs one operation at a time, so that flight is a read whose loop is around this one, and it lands only after
    /// this read ends: this read must not wait for anyone who may be waiting for it. The outer read of the same entry
    /// under the versions from before a write the context made since holds the Redis lock the new flight's leader would
    /// wait on; another context's flight, here or in another process, may be led by a read nested in a loop that this
    /// one's outer read holds up (two contexts reading each other's query inside their loops). Scans the flights under
    /// way, which are few; asked only on a miss that would wait.
    /// </summary>
    public bool LeadsAnother(DbContext context, Flight flight)
    {
        var id = context.ContextId;
        foreach (var (_, other) in _flights)
        {
            if (!ReferenceEquals(other, flight) && other.Leader == id)
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
    /// never disposed) delays only the misses that joined it within that bound (and <see cref="Join"/> takes over a flight
    /// older than the bound). Null at once, the flight
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
