using System.Data.Common;
using System.Runtime.CompilerServices;
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
    private readonly CacheRuntime _runtime;
    private readonly MissStore _misses;
    private readonly EntryDecoder _decoder;
    private readonly ReadPathRedis _redis;
    private readonly MissCoordinator _missCoordinator;
    private readonly string _tokenPrefix = Guid.NewGuid().ToString("N");
    private long _tokenSequence;

    public QueryReadPath(CacheRuntime runtime, MissStore misses)
    {
        _runtime = runtime;
        _misses = misses;
        _decoder = new EntryDecoder(runtime);
        _redis = new ReadPathRedis(runtime);
        _missCoordinator = new MissCoordinator(runtime, misses, _decoder, _redis);
    }

    /// <summary>
    /// Before a reader command: a hit answers it from Redis; a miss lets it run and records its rows. The
    /// query's <paramref name="cancellationToken"/> (async queries only) ends any wait for Redis or for another
    /// caller's rows at once.
    /// </summary>
    /// <remarks>
    /// Not async itself: the planning runs synchronously, and the one async method that follows is picked by what
    /// the query needs. A hit on rows kept in this process, the most frequent read, then allocates only the small state
    /// machine of <see cref="HitKeptAsync"/>; in one method with the lookup script and the miss, it allocated the
    /// state of all of them (their awaiters, the lookup's outcome and the probe's result: ~650 of its bytes).
    /// </remarks>
    public ValueTask<InterceptionResult<DbDataReader>> BeforeReaderAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken = default)
        => _runtime.Transactions.HasExternalPending
            ? PublishEndedThenReadAsync(command, eventData, result, async, cancellationToken)
            : Read(command, eventData, result, async, cancellationToken);

    private async ValueTask<InterceptionResult<DbDataReader>> PublishEndedThenReadAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        await _runtime.Publisher.PublishEndedExternalAsync(_runtime.LoggerFor(eventData.Context), async).ConfigureAwait(false);
        return await Read(command, eventData, result, async, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<InterceptionResult<DbDataReader>> Read(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        if (!_runtime.IsActiveFor(eventData.Context))
        {
            return new(result);
        }

        _runtime.SayUnsaidWarnings(eventData.Context);
        if (!QueryPlanner.TryPlan(_runtime, command, eventData, result, out var query))
        {
            return new(result);
        }

        if (_runtime.PendingInvalidations.HasPending)
        {
            _ = _runtime.PendingInvalidations.TryReplayAsync();
            var logger = _runtime.LoggerFor(query.Context);
            Log.CacheBypassedPendingInvalidations(logger);
            return new(result);
        }

        if (!_runtime.Redis.TryGetDatabase(out var database, out var firstConnect))
        {
            if (firstConnect is not null)
            {
                return FirstConnectThenReadAsync(command, query, firstConnect, result, async, cancellationToken);
            }

            _runtime.OnRedisNotConnected(query.Context);
            return new(result);
        }

        return ReadConnected(command, database, query, result, async, cancellationToken);
    }

    /// <summary>
    /// The first queries after start, while the cache's own connection is made: they wait for it, asynchronously when
    /// they are async, within the budget (<see cref="RedisAccess.WaitForFirstConnectAsync"/>), then read as usual.
    /// </summary>
    private async ValueTask<InterceptionResult<DbDataReader>> FirstConnectThenReadAsync(DbCommand command, CacheableQuery query, Task<IConnectionMultiplexer?> firstConnect, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        if (await _runtime.Redis.WaitForFirstConnectAsync(firstConnect, async, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } database)
        {
            _runtime.OnRedisNotConnected(query.Context);
            return result;
        }

        return await ReadConnected(command, database, query, result, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The read once Redis is connected. Inlined: a hit pays no call more than before the connect was asynchronous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueTask<InterceptionResult<DbDataReader>> ReadConnected(DbCommand command, IDatabase database, CacheableQuery query, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        _runtime.OnRedisConnected();

        // Entries are trusted only on the Redis process their versions were confirmed on (FailoverGuard).
        var generation = _runtime.Failover.Generation;
        return _runtime.Failover.IsConfirmed(generation)
            ? ReadConfirmed(command, database, query, generation, result, async, cancellationToken)
            : ConfirmServerThenReadAsync(command, database, query, generation, result, async, cancellationToken);
    }

    private async ValueTask<InterceptionResult<DbDataReader>> ConfirmServerThenReadAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        var check = _runtime.Failover.CheckFor(database, generation, _runtime.LoggerFor(query.Context));
        return (await _redis.ProbeAsync(check, primaryProbe: null, query.Context, generation, async, cancellationToken).ConfigureAwait(false)).Failed
            ? result
            : await ReadConfirmed(command, database, query, generation, result, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows kept in this process: the round trip reads only the versions, and a hit neither transfers nor decodes the
    /// rows. Otherwise the rows are looked up in Redis.
    /// </summary>
    private ValueTask<InterceptionResult<DbDataReader>> ReadConfirmed(DbCommand command, IDatabase database, CacheableQuery query, long generation, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
        => _runtime.LocalResults.Find(query.Hash) is { } kept
            ? HitKeptAsync(command, database, query, generation, kept, result, async, cancellationToken)
            : ReadThroughRedisAsync(command, database, query, generation, result, async, cancellationToken);

    /// <summary>
    /// A hit on rows kept in this process when Redis still holds the versions they were stored under. Versions moved on:
    /// the rows are forgotten and the lookup goes straight to the script — the hit probe would find the entry stale too,
    /// unless another process already stored the rows read after the write, which the script returns as a hit as well.
    /// </summary>
    // Pooled: a state machine per hit otherwise. EF Core awaits the interceptor's answer once, as a ValueTask must be.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<InterceptionResult<DbDataReader>> HitKeptAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, LocalResult kept, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        var read = RedisCacheStore.ReadVersionsAsync(database, query.Dependencies, _runtime.Keys.PrimaryProbe, out var primary);
        var versions = await _redis.ProbeAsync(read, primary, query.Context, generation, async, cancellationToken).ConfigureAwait(false);
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
        return await ReadThroughRedisAsync(command, database, query, generation, result, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows not kept in this process: a hit is read from Redis, a miss runs on the database and its rows are stored.
    /// </summary>
    // Pooled, as HitKeptAsync: the hits that read their rows from Redis come this way.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<InterceptionResult<DbDataReader>> ReadThroughRedisAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, InterceptionResult<DbDataReader> result, bool async, CancellationToken cancellationToken)
    {
        LookupResult? candidate = null;
        if (!_runtime.LocalResults.IsEnabled)
        {
            // Nothing is kept in this process, so hits are read from Redis every time: the probe reads them
            // with plain commands (no lock key, no token, no seeds; cheaper than the script for large rows).
            // Anything else goes on to the lookup script, which also seeds missing versions and takes the
            // stampede lock. With rows kept, a key that reaches here is new to this process — most often a
            // miss — so it goes to the script at once: one round trip for a miss, not two, and a hit's rows
            // are then kept, so the script's cost is paid once per entry and process.
            var probe = await _redis.ProbeAsync(RedisCacheStore.TryHitAsync(database, query.EntryKey, query.Dependencies, _runtime.Keys.PrimaryProbe), primaryProbe: null, query.Context, generation, async, cancellationToken).ConfigureAwait(false);
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
            ? await _missCoordinator.OnMissAsync(command, database, query, generation, lookup.Value, result, async, cancellationToken).ConfigureAwait(false)
            : result;
    }

    /// <summary>
    /// A hit's rows, read from Redis: served (and kept), or <see cref="LookupOutcome.Database"/> when this caller refreshes
    /// the entry early; <see langword="null"/> when the payload could not be read (the decoder deleted it).
    /// </summary>
    private LookupOutcome? Serve(DbCommand command, IDatabase database, CacheableQuery query, long generation, LookupResult hit)
    {
        // The metadata is read once: for the refresh decision and for how long the rows may be kept.
        var hasMeta = EarlyRefresh.TryRead(hit, _runtime.Settings.TimeProvider, out var computeMilliseconds, out var expiresAtUnixMilliseconds);
        if (hasMeta && StartsEarlyRefresh(command, database, query, generation, hit.Versions, computeMilliseconds, expiresAtUnixMilliseconds))
        {
            return LookupOutcome.Database;
        }

        if (_decoder.DecodeAndKeep(hit, query, database, hasMeta, computeMilliseconds, expiresAtUnixMilliseconds) is not { } cached)
        {
            return null;
        }

        CacheMetrics.Hits.Add(1);
        return LookupOutcome.Serve(new ReplayDataReader(cached) { Command = query.Command });
    }

    /// <summary>
    /// The lookup script: a hit (served as <see cref="Serve"/> does), or a miss with the stampede lock when the
    /// script took it. A payload that could not be read was deleted, so the next lookup is a miss that may take the
    /// lock, and stampede protection does not wait on a lock nobody holds; still unreadable after two lookups: the database.
    /// </summary>
    private async ValueTask<LookupOutcome> LookUpAsync(DbCommand command, IDatabase database, CacheableQuery query, long generation, bool async, CancellationToken cancellationToken)
    {
        var settings = _runtime.Settings;
        for (var lookups = 0; lookups < 2; lookups++)
        {
            // A query whose rows this process could not store last time has none to share: take no lock.
            var lockKey = _runtime.Keys.Lock(query.Hash, query.ByRow);
            var knownUnstorable = settings.StampedeProtection && query.CanStore && _misses.IsKnownUnstorable(query.Hash);
            var token = settings.StampedeProtection && query.CanStore && !knownUnstorable ? NextToken() : RedisValue.EmptyString;
            if (await _redis.LookupAsync(database, query, lockKey, token, generation, async, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return LookupOutcome.Database;
            }

            if (!found.IsHit)
            {
                return LookupOutcome.Missed(found, lockKey, token, knownUnstorable);
            }

            if (Serve(command, database, query, generation, found) is { } served)
            {
                return served;
            }
        }

        return LookupOutcome.Database;
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
    /// The refresh is a flight of its own (<see cref="SingleFlight"/>): a hot entry's hits near expiry arrive together,
    /// and each that drew a refresh used to query the database — the stampede early refresh is there to prevent
    /// (<c>EarlyRefreshTests</c>). While one caller of this process refreshes the entry, the others are served the hit.
    /// </summary>
    private bool StartsEarlyRefresh(DbCommand command, IDatabase database, CacheableQuery query, long generation, RedisValue versions, long computeMilliseconds, long expiresAtUnixMilliseconds)
    {
        var settings = _runtime.Settings;
        if (!settings.EarlyRefresh || !query.CanStore || !EarlyRefresh.ShouldRefresh(computeMilliseconds, expiresAtUnixMilliseconds, settings.TimeProvider.GetUtcNow()))
        {
            return false;
        }

        var flight = _runtime.Flights.Join(query.Hash, versions, query.Context, out var isLeader, earlyRefresh: true);
        if (!isLeader)
        {
            return false;
        }

        _runtime.LocalResults.Forget(query.Hash);
        CacheMetrics.EarlyRefreshes.Add(1);
        _misses.Remember(command, database, query, generation, _runtime.Keys.Lock(query.Hash, query.ByRow), RedisValue.EmptyString, versions, flight);
        return true;
    }

    private RedisValue NextToken() => $"{_tokenPrefix}:{Interlocked.Increment(ref _tokenSequence)}";
}
