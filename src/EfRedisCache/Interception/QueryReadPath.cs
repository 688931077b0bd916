using System.Data.Common;
using EfRedisCache.Diagnostics;
using EfRedisCache.Keys;
using EfRedisCache.Local;
using EfRedisCache.Metadata;
using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace EfRedisCache.Interception;

/// <summary>
/// The read path. A cacheable query is looked up in one Redis round trip (the entry, its dependency
/// versions and, on a miss, the stampede lock, in one script); a hit hands EF Core a replay reader instead
/// of running the command; a miss lets it run, and <see cref="MissStore"/> records the rows as EF Core reads
/// them and stores them under the versions read before the query ran.
/// </summary>
internal sealed class QueryReadPath
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(50);

    private readonly CacheRuntime _runtime;
    private readonly MissStore _misses;
    private readonly EntryDecoder _decoder;
    private readonly string _tokenPrefix = Guid.NewGuid().ToString("N");
    private long _tokenSequence;

    public QueryReadPath(CacheRuntime runtime, MissStore misses)
    {
        _runtime = runtime;
        _misses = misses;
        _decoder = new EntryDecoder(runtime);
    }

    /// <summary>
    /// Before a reader command: a hit answers it from Redis; a miss lets it run and records its rows. The
    /// query's <paramref name="cancellationToken"/> (async queries only) ends any wait for Redis or for another
    /// caller's rows at once.
    /// </summary>
    public async ValueTask<InterceptionResult<DbDataReader>> BeforeReaderAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken = default)
    {
        if (_runtime.Transactions.HasExternalPending)
        {
            await _runtime.Publisher.PublishEndedExternalAsync(_runtime.LoggerFor(eventData.Context), async).ConfigureAwait(false);
        }

        if (!_runtime.IsActiveFor(eventData.Context) || !QueryPlanner.TryPlan(_runtime, command, eventData, result, out var query))
        {
            return result;
        }

        if (_runtime.PendingInvalidations.HasPending)
        {
            _ = _runtime.PendingInvalidations.TryReplayAsync();
            var logger = _runtime.LoggerFor(query.Context);
            Log.CacheBypassedPendingInvalidations(logger);
            return result;
        }

        if (!_runtime.Redis.TryGetDatabase(out var database))
        {
            var logger = _runtime.LoggerFor(query.Context);
            Log.RedisNotConnected(logger);
            return result;
        }

        // Entries are trusted only on the Redis process their versions were confirmed on (FailoverGuard).
        var generation = _runtime.Failover.Generation;
        if (!_runtime.Failover.IsConfirmed(generation)
            && (await ProbeAsync(_runtime.Failover.CheckFor(database, generation, _runtime.LoggerFor(query.Context)), query, generation, async, cancellationToken).ConfigureAwait(false)).Failed)
        {
            return result;
        }

        // Rows kept in this process: the round trip reads only the versions, and a hit neither transfers nor
        // decodes the rows. Kept inline, as is the probe below: in an async method of their own, every hit would
        // allocate one more state machine.
        LookupResult? candidate = null;
        if (_runtime.LocalResults.Find(query.Hash) is { } kept)
        {
            // Versions moved on: forget the rows and go straight to the lookup script — the hit probe would find
            // the entry stale too, unless another process already stored the rows read after the write, which the
            // script returns as a hit as well.
            var versions = await ProbeAsync(RedisCacheStore.ReadVersionsAsync(database, query.Dependencies, _runtime.Keys.PrimaryProbe), query, generation, async, cancellationToken).ConfigureAwait(false);
            if (versions.Failed)
            {
                return result;
            }

            if (RedisCacheStore.VersionsEqual(kept.Versions, versions.Value!))
            {
                if (StartsEarlyRefresh(command, database, query, generation, kept.Versions, kept.ComputeMilliseconds, kept.ExpiresAtUnixMilliseconds))
                {
                    return result;
                }

                CacheMetrics.Hits.Add(1);
                CacheMetrics.LocalHits.Add(1);
                return InterceptionResult<DbDataReader>.SuppressWithResult(new ReplayDataReader(kept.Result) { Command = query.Command });
            }

            _runtime.LocalResults.Forget(query.Hash);
        }
        else if (!_runtime.LocalResults.IsEnabled)
        {
            // Nothing is kept in this process, so hits are read from Redis every time: the probe reads them
            // with plain commands (no lock key, no token, no seeds; cheaper than the script for large rows).
            // Anything else goes on to the lookup script, which also seeds missing versions and takes the
            // stampede lock. With rows kept, a key that reaches here is new to this process — most often a
            // miss — so it goes to the script at once: one round trip for a miss, not two, and a hit's rows
            // are then kept, so the script's cost is paid once per entry and process.
            var probe = await ProbeAsync(RedisCacheStore.TryHitAsync(database, query.EntryKey, query.Dependencies, _runtime.Keys.PrimaryProbe), query, generation, async, cancellationToken).ConfigureAwait(false);
            if (probe.Failed)
            {
                return result;
            }

            candidate = probe.Value;
        }

        var lookup = candidate is { } probed ? Serve(command, database, query, generation, probed) : null;
        lookup ??= await LookUpAsync(command, database, query, generation, async, cancellationToken).ConfigureAwait(false);
        if (lookup.Value.Served is { } reader)
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(reader);
        }

        if (lookup.Value.ToDatabase)
        {
            return result;
        }

        CacheMetrics.Misses.Add(1);
        return query.CanStore
            ? await OnMissAsync(command, database, query, generation, lookup.Value, result, async, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>
    /// A hit's rows, read from Redis: served (and kept), or <see cref="Lookup.Database"/> when this caller refreshes
    /// the entry early; <see langword="null"/> when the payload could not be read (the decoder deleted it).
    /// </summary>
    private Lookup? Serve(DbCommand command, IDatabase database, CacheableQuery query, long generation, LookupResult hit)
    {
        // The metadata is read once: for the refresh decision and for how long the rows may be kept.
        var hasMeta = EarlyRefresh.TryRead(hit.Meta, out var computeMilliseconds, out var expiresAtUnixMilliseconds);
        if (hasMeta && StartsEarlyRefresh(command, database, query, generation, hit.Versions, computeMilliseconds, expiresAtUnixMilliseconds))
        {
            return Lookup.Database;
        }

        if (_decoder.DecodeAndKeep(hit, query, database, hasMeta, computeMilliseconds, expiresAtUnixMilliseconds) is not { } cached)
        {
            return null;
        }

        CacheMetrics.Hits.Add(1);
        return Lookup.Serve(new ReplayDataReader(cached) { Command = query.Command });
    }

    /// <summary>
    /// The lookup script: a hit (served as <see cref="Serve"/> does), or a miss with the stampede lock when the
    /// script took it. A payload that could not be read was deleted, so the next lookup is a miss that may take the
    /// lock, and stampede protection does not wait on a lock nobody holds; still unreadable after two lookups: the database.
    /// </summary>
    private async ValueTask<Lookup> LookUpAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, bool async, CancellationToken cancellationToken)
    {
        var settings = _runtime.Settings;
        for (var lookups = 0; lookups < 2; lookups++)
        {
            // A query whose rows this process could not store last time has none to share: take no lock.
            var lockKey = _runtime.Keys.Lock(query.Hash);
            var knownUnstorable = settings.StampedeProtection && query.CanStore && _misses.IsKnownUnstorable(query.Hash);
            var token = settings.StampedeProtection && query.CanStore && !knownUnstorable ? NextToken() : RedisValue.EmptyString;
            if (await LookupAsync(database, query, lockKey, token, generation, async, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return Lookup.Database;
            }

            if (!found.IsHit)
            {
                return Lookup.Missed(found, lockKey, token, knownUnstorable);
            }

            if (Serve(command, database, query, generation, found) is { } served)
            {
                return served;
            }
        }

        return Lookup.Database;
    }

    /// <summary>
    /// A miss of a result that may be stored: stampede protection decides who queries the database. A follower of
    /// this process's flight, or a leader whose lock another process holds, waits for the rows within
    /// <see cref="RedisCacheAsideOptions.StampedeWaitTimeout"/>; whoever queries has its rows recorded and stored.
    /// </summary>
    private async ValueTask<InterceptionResult<DbDataReader>> OnMissAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, Lookup lookup, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
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

    /// <summary>
    /// After a hit's reader went through the interceptors registered after the cache: when one of them changed the
    /// command (a table or schema per tenant), the rows served belong to the command as keyed, not as it now is, so
    /// the command runs on the database instead (not stored: its key is not the command's). Reference and hash
    /// comparisons on a hit; the key is rebuilt only when they differ.
    /// </summary>
    public async ValueTask<DbDataReader> AfterReaderAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, bool async, CancellationToken cancellationToken = default)
    {
        if (result is not ReplayDataReader { Command: var keyed } served
            || keyed.IsUnchanged(command)
            || (eventData.Context is { } context && QueryPlanner.StillKeysTo(command, context, keyed.Hash!)))
        {
            return result;
        }

        _runtime.OnCommandRewritten(eventData.Context);
        if (async)
        {
            await served.DisposeAsync().ConfigureAwait(false);
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }

        served.Dispose();
        return command.ExecuteReader();
    }

    /// <summary>
    /// XFetch on a hit: when due, this caller refreshes the entry for everyone while the others keep hitting it.
    /// Rows kept in process are forgotten, so this process reads the refreshed rows from Redis on its next hit.
    /// </summary>
    private bool StartsEarlyRefresh(DbCommand command, IDatabase database, CacheableQuery query, long generation, RedisValue versions, long computeMilliseconds, long expiresAtUnixMilliseconds)
    {
        var settings = _runtime.Settings;
        if (!settings.EarlyRefresh || !query.CanStore || !EarlyRefresh.ShouldRefresh(computeMilliseconds, expiresAtUnixMilliseconds, settings.TimeProvider.GetUtcNow()))
        {
            return false;
        }

        _runtime.LocalResults.Forget(query.Hash);
        CacheMetrics.EarlyRefreshes.Add(1);
        _misses.Remember(command, database, query, generation, _runtime.Keys.Lock(query.Hash), RedisValue.EmptyString, versions, flight: null);
        return true;
    }

    /// <summary>
    /// One round trip of the hit path (<see cref="RedisCacheStore.TryHitAsync"/>, or
    /// <see cref="RedisCacheStore.ReadVersionsAsync"/> for kept rows, or the server check before them). <see cref="Probe{T}.Failed"/> when Redis
    /// failed (already logged), a replica answered (each carries <see cref="RedisCacheStore.ProvePrimaryAsync"/>) or a
    /// cluster node that lost the prefix's slot did (MOVED, not followed: <see cref="RedisCacheStore.IsWrongServer"/>),
    /// or the connection changed while it waited — the reply may come from another server than the one confirmed
    /// under <paramref name="generation"/>: go to the database.
    /// </summary>
    private async ValueTask<Probe<T>> ProbeAsync<T>(Task<T> call, CacheableQuery query, long generation, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var value = await _runtime.Redis.RunAsync(call, async, cancellationToken).ConfigureAwait(false);
            return _runtime.Failover.Generation == generation ? new Probe<T>(Failed: false, value) : new Probe<T>(Failed: true, default);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogLookupFailed(query, exception, async);
            return new Probe<T>(Failed: true, default);
        }
    }

    private readonly record struct Probe<T>(bool Failed, T? Value);

    /// <summary>
    /// What <see cref="LookUpAsync"/> found: rows to serve; nothing to use (<see cref="ToDatabase"/>: Redis failed,
    /// the rows stayed unreadable, or this caller refreshes the entry early); or a miss, with the lock key and
    /// token of the stampede lock the script may have taken, and whether this process knows the result cannot be stored.
    /// </summary>
    private readonly record struct Lookup(ReplayDataReader? Served, bool ToDatabase, LookupResult Found, RedisKey LockKey, RedisValue Token, bool KnownUnstorable)
    {
        public static Lookup Database => new(null, ToDatabase: true, default, default, RedisValue.EmptyString, KnownUnstorable: false);

        public static Lookup Serve(ReplayDataReader reader) => new(reader, ToDatabase: false, default, default, RedisValue.EmptyString, KnownUnstorable: false);

        public static Lookup Missed(LookupResult found, RedisKey lockKey, RedisValue token, bool knownUnstorable) => new(null, ToDatabase: false, found, lockKey, token, knownUnstorable);
    }

    private void LogLookupFailed(CacheableQuery query, Exception exception, bool async)
    {
        var logger = _runtime.LoggerFor(query.Context);
        if (RedisCacheStore.IsSlotMigrating(exception))
        {
            // Expected for every lookup while a resharding moves the prefix's slot: not a warning, and nothing
            // the thread pool did.
            Log.SlotMigrating(logger);
            return;
        }

        Log.LookupFailed(logger, exception);
        _runtime.StarvationHint.OnLookupFailed(logger, exception, async);
    }

    /// <summary>The lookup script; <see langword="null"/> when Redis failed (logged) or the connection changed while it waited (see <see cref="ProbeAsync"/>).</summary>
    private async ValueTask<LookupResult?> LookupAsync(IDatabase database, CacheableQuery query, RedisKey lockKey, RedisValue token, long generation, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var lockMilliseconds = (long)_runtime.Settings.StampedeWaitTimeout.TotalMilliseconds;
            var call = RedisCacheStore.LookupAsync(database, query.EntryKey, lockKey, query.Dependencies, token, lockMilliseconds, _runtime.Keys.PrimaryProbe);
            var found = await _runtime.Redis.RunAsync(call, async, cancellationToken).ConfigureAwait(false);
            if (_runtime.Failover.Generation == generation)
            {
                return found;
            }

            if (found.LockTaken)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The script may have taken the lock for us after we stopped waiting: free it, or other processes'
            // misses on this entry would wait for its expiry.
            if (!token.IsNullOrEmpty)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A timed-out script may still run and take the lock for a caller that went to the database: free it (the
            // release follows the script on the same connection), or every other miss on this entry, in any process,
            // would wait for its expiry — StampedeWaitTimeout — before querying the database itself.
            if (!token.IsNullOrEmpty)
            {
                RedisCacheStore.TryReleaseLock(database, lockKey, token);
            }

            LogLookupFailed(query, exception, async);
            return null;
        }
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
            if (await LookupAsync(database, query, lockKey, token, generation, async, cancellationToken).ConfigureAwait(false) is not { } next)
            {
                break;
            }

            latest = next;
            // The holder's rows, stored under the versions just read: kept here too, as any hit's rows are.
            if (next.IsHit
                && _decoder.DecodeAndKeep(next, query, database, EarlyRefresh.TryRead(next.Meta, out var computeMilliseconds, out var expiresAtUnixMilliseconds), computeMilliseconds, expiresAtUnixMilliseconds) is { } shared)
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

    private RedisValue NextToken() => $"{_tokenPrefix}:{Interlocked.Increment(ref _tokenSequence)}";
}
