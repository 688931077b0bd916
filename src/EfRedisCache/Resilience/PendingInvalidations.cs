using System.Collections.Concurrent;
using EfRedisCache.Diagnostics;
using EfRedisCache.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Resilience;

/// <summary>
/// Invalidations that could not reach Redis (timeout, dropped connection, breaker open). While any is
/// pending this process does not trust the cache — it neither reads nor stores entries — and a timer
/// replays them until Redis takes them. So a write whose invalidation failed can never let this process
/// read the old entry back when Redis returns (DESIGN.md invariant 5).
/// </summary>
internal sealed class PendingInvalidations : IDisposable
{
    private readonly ConcurrentDictionary<RedisKey, long> _keys = new();
    private readonly RedisKey _everything;
    private readonly RedisAccess _redis;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryInterval;
    private readonly Lock _timerLock = new();
    private WeakReplayTimer? _timer;
    private long _sequence;
    private int _hasPending;
    private int _replaying;

    /// <summary>Pending keys are replayed by <paramref name="redis"/> every <paramref name="retryInterval"/> on <paramref name="time"/>; <paramref name="everything"/> is the global epoch of the key prefix, one bump of which kills every entry the pending keys could.</summary>
    public PendingInvalidations(RedisAccess redis, TimeProvider time, TimeSpan retryInterval, RedisKey everything)
    {
        _everything = everything;
        _redis = redis;
        _time = time;
        _retryInterval = retryInterval;
    }

    /// <summary>
    /// Past this many keys the set is the global epoch alone. A service that keeps saving while Redis is away bumps a
    /// key per row it writes: held one by one, the set grew for the whole outage and was replayed as one script of
    /// that many keys when Redis returned. The epoch costs a cold cache, and only after such an outage.
    /// </summary>
    internal const int MaxKeys = 10_000;

    internal int Count => _keys.Count;

    internal bool Contains(RedisKey key) => _keys.ContainsKey(key);

    /// <summary>Cheap enough for every query: one volatile read.</summary>
    public bool HasPending => Volatile.Read(ref _hasPending) != 0;

    public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Add(RedisKey[] keys)
    {
        foreach (var key in keys)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            _keys[key] = sequence; // a newer failure replaces the sequence, so a replay in flight cannot drop it
        }

        if (_keys.Count > MaxKeys)
        {
            Collapse();
        }

        Volatile.Write(ref _hasPending, 1);
        CacheMetrics.PendingInvalidations.Add(keys.Length);
        lock (_timerLock)
        {
            _timer ??= new WeakReplayTimer(this, _time, _retryInterval);
        }
    }

    /// <summary>Delivers every pending key in one bump. Returns true when nothing is pending any more.</summary>
    public async Task<bool> TryReplayAsync()
    {
        if (!HasPending)
        {
            return true;
        }

        if (Interlocked.CompareExchange(ref _replaying, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            var snapshot = _keys.ToArray();
            if (snapshot.Length == 0 || !_redis.TryGetDatabaseForInvalidation(out var database))
            {
                return snapshot.Length == 0 && MarkDeliveredIfEmpty();
            }

            var keys = new RedisKey[snapshot.Length];
            for (var i = 0; i < snapshot.Length; i++)
            {
                keys[i] = snapshot[i].Key;
            }

            await _redis.RunAsync(RedisCacheStore.BumpAsync(database, keys), async: true).ConfigureAwait(false);

            // Delivered now: counted as the publisher counts a bump that reached Redis the first time (the failure was
            // counted in efrc.cache.pending_invalidations), so the counter holds every invalidation Redis took.
            CacheMetrics.Invalidations.Add(1);
            foreach (var delivered in snapshot)
            {
                _keys.TryRemove(delivered); // only if no newer failure arrived for the key meanwhile
            }

            Log.PendingInvalidationsDelivered(Logger, keys.Length);
            return MarkDeliveredIfEmpty();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref _replaying, 0);
        }
    }

    /// <summary>
    /// Replaces every pending key by the global epoch. The epoch goes in first, so the set never covers less than it
    /// did, and again last with a newer sequence, so a replay in flight that read it before the others went does not
    /// take it out when it delivers.
    /// </summary>
    private void Collapse()
    {
        _keys[_everything] = Interlocked.Increment(ref _sequence);
        foreach (var pending in _keys)
        {
            if (pending.Key != _everything)
            {
                _keys.TryRemove(pending);
            }
        }

        _keys[_everything] = Interlocked.Increment(ref _sequence);
    }

    public void Dispose()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private bool MarkDeliveredIfEmpty()
    {
        Volatile.Write(ref _hasPending, 0);
        if (!_keys.IsEmpty)
        {
            Volatile.Write(ref _hasPending, 1); // an Add raced the replay
            return false;
        }

        lock (_timerLock)
        {
            if (_keys.IsEmpty)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }

        return true;
    }
}
