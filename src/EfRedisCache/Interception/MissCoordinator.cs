using System.Data.Common;
using EfRedisCache.Diagnostics;
using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// Stampede protection on a miss (DESIGN.md invariant 7): who queries the database and who waits for its rows — a
/// follower of this process's flight (<see cref="SingleFlight"/>), or a leader whose Redis lock another process
/// holds, which polls for that process's entry — and the recording of whoever queries (<see cref="MissStore"/>).
/// </summary>
internal sealed class MissCoordinator
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(50);

    private readonly CacheRuntime _runtime;
    private readonly MissStore _misses;
    private readonly EntryDecoder _decoder;
    private readonly ReadPathRedis _redis;

    public MissCoordinator(CacheRuntime runtime, MissStore misses, EntryDecoder decoder, ReadPathRedis redis)
    {
        _runtime = runtime;
        _misses = misses;
        _decoder = decoder;
        _redis = redis;
    }

    /// <summary>
    /// A miss of a result that may be stored: stampede protection decides who queries the database. A follower of
    /// this process's flight, or a leader whose lock another process holds, waits for the rows within
    /// <see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>; whoever queries has its rows recorded and stored.
    /// </summary>
    public async ValueTask<InterceptionResult<DbDataReader>> OnMissAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, LookupOutcome lookup, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        var settings = _runtime.Settings;
        var found = lookup.Found;
        var (lockKey, token) = (lookup.LockKey, lookup.Token);
        if (!settings.StampedeProtection || lookup.KnownUnstorable)
        {
            // Nothing to wait for: no caller, here or in another process, can share rows that cannot be stored.
            // Still recorded, so a result that fits again is stored and clears the mark.
            _misses.Remember(command, database, query, generation, lockKey, RedisValue.EmptyString, found.Versions, flight: null);
            return result;
        }

        var flight = _runtime.Flights.Join(query.Hash, found.Versions, query.Context, out var isLeader);
        if (!isLeader)
        {
            if (found.LockTaken)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            // This context leading another flight is a loop around this read, which the leader may be waiting on (its
            // Redis lock, or the loop's rows through a read of its own): go to the database (SingleFlight.LeadsAnother).
            if (_runtime.Flights.LeadsAnother(query.Context, flight))
            {
                return result;
            }

            var shared = await _runtime.Flights.WaitAsync(query.Hash, flight, found.Versions, query.Context, settings.StampedeWaitTimeout, TimeProvider.System, async, cancellationToken).ConfigureAwait(false);
            if (shared is not null)
            {
                CacheMetrics.CoalescedMisses.Add(1);
                return InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(shared) { Command = query.Command });
            }

            return result; // the leader failed, is slow or is the loop around this query: query the database, without storing
        }

        // Another process is querying the database for this entry: wait for its result. Unless this context leads
        // another flight, a loop around this read (SingleFlight.LeadsAnother): the lock may be that loop's own outer
        // read of the entry, under the versions from before a write it made since, or another process's read nested
        // in a loop that waits for this context's.
        if (!found.LockTaken && !_runtime.Flights.LeadsAnother(query.Context, flight))
        {
            CachedResult? shared;
            LookupResult latest;
            try
            {
                (shared, latest) = await WaitForOtherProcessAsync(database, query, lockKey, token, generation, async, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _runtime.Flights.Land(query.Hash, flight, null); // local waiters go to the database rather than wait on us
                throw;
            }

            if (shared is not null)
            {
                _runtime.Flights.Land(query.Hash, flight, shared);
                CacheMetrics.CoalescedMisses.Add(1);
                return InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(shared) { Command = query.Command });
            }

            found = latest;
        }

        _misses.Remember(command, database, query, generation, lockKey, found.LockTaken ? token : RedisValue.EmptyString, found.Versions, flight);
        return result;
    }

    /// <summary>Polls, with a growing delay, until the lock holder's entry appears, the lock is free to take, or the wait bound passes.</summary>
    private async ValueTask<(CachedResult? Shared, LookupResult Latest)> WaitForOtherProcessAsync(IDatabase database, CacheableQuery query, RedisKey lockKey, RedisValue token, long generation, bool async, CancellationToken cancellationToken)
    {
        // Waits run on the real clock: they bound how long a caller blocks, which a test clock must not stretch.
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var delay = FirstPollDelay;
        var latest = new LookupResult(RedisValue.Null, null, RedisValue.Null, LockTaken: false);
        while (time.GetElapsedTime(started) < _runtime.Settings.StampedeWaitTimeout)
        {
            if (async)
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Thread.Sleep(delay);
            }

            delay = delay * 2 > MaxPollDelay ? MaxPollDelay : delay * 2;
            if (await _redis.LookupAsync(database, query, lockKey, token, generation, async, cancellationToken).ConfigureAwait(false) is not { } next)
            {
                break;
            }

            latest = next;
            // The holder's rows, stored under the versions just read: kept here too, as any hit's rows are.
            if (next.IsHit
                && _decoder.DecodeAndKeep(next, query, database, EarlyRefresh.TryRead(next, _runtime.Settings.TimeProvider, out var computeMilliseconds, out var expiresAtUnixMilliseconds), computeMilliseconds, expiresAtUnixMilliseconds) is { } shared)
            {
                return (shared, latest);
            }

            if (next.LockTaken)
            {
                break;
            }
        }

        return (null, latest);
    }
}
