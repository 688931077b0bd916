using System.Runtime.CompilerServices;
using EfRedisCache.Diagnostics;
using EfRedisCache.Resilience;
using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The one gate every Redis call on the request path goes through: the circuit breaker, the connection
/// state and the time budget. A call that fails or times out counts against the breaker.
/// </summary>
internal sealed class RedisAccess
{
    private readonly RedisConnection _connection;
    private readonly TimeSpan _budget;

    public RedisAccess(RedisConnection connection, CircuitBreaker breaker, TimeSpan budget)
    {
        _connection = connection;
        Breaker = breaker;
        _budget = budget;
    }

    public CircuitBreaker Breaker { get; }

    public RedisConnection Connection => _connection;

    /// <summary>
    /// False when Redis must not be used now (breaker open, not connected); the caller uses the database. Never waits:
    /// while the first connect runs, <paramref name="firstConnect"/> is it, nothing is counted yet, and the caller waits
    /// for it with <see cref="WaitForFirstConnectAsync"/> or uses the database.
    /// </summary>
    public bool TryGetDatabase(out IDatabase database, out Task<IConnectionMultiplexer?>? firstConnect)
    {
        firstConnect = null;
        if (!Breaker.AllowRequest())
        {
            database = null!;
            return false;
        }

        if (!_connection.TryGetDatabase(out database, out firstConnect))
        {
            if (firstConnect is null)
            {
                Breaker.RecordFailure();
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// For invalidations: connected is enough, whatever the breaker says. A bump is bounded by the budget
    /// anyway, and while it waits for the breaker other processes may serve the entry it would kill. Never waits.
    /// </summary>
    public bool TryGetDatabaseForInvalidation(out IDatabase database) => _connection.TryGetDatabase(out database);

    /// <summary>
    /// <see cref="TryGetDatabaseForInvalidation"/>, except that a write made while the first connect runs waits for it
    /// within the budget: its bump would otherwise be pending, and keep this process off the cache until replayed.
    /// Null when Redis is not connected.
    /// </summary>
    public ValueTask<IDatabase?> GetDatabaseForInvalidationAsync(bool async)
        => _connection.TryGetDatabase(out var database, out var firstConnect)
            ? new(database)
            : firstConnect is not null
                ? WaitForFirstConnectAsync(firstConnect, async, countsForBreaker: false)
                : new((IDatabase?)null);

    /// <summary>
    /// Waits for <paramref name="firstConnect"/> (<see cref="TryGetDatabase"/>'s) within the budget — without a thread
    /// when <paramref name="async"/>, as a synchronous query waits for any Redis reply otherwise — then answers as
    /// <see cref="TryGetDatabase"/> would, null for false. A connect that did not connect within the budget counts against
    /// the breaker as a disconnected Redis does; a wait ended by <paramref name="cancellationToken"/> says nothing about Redis.
    /// </summary>
    /// <remarks>
    /// Waited for, not skipped: with Redis up, the connect takes a round trip or two, and a query that went to the database
    /// at once would leave the first cacheable query after start uncached (<c>Resilience/FirstConnectTests</c>). The budget
    /// is what any Redis call may cost a query; an async caller pays it in time only, no thread.
    /// </remarks>
    public async ValueTask<IDatabase?> WaitForFirstConnectAsync(Task<IConnectionMultiplexer?> firstConnect, bool async, bool countsForBreaker = true, CancellationToken cancellationToken = default)
    {
        try
        {
            await RedisCall.Bound(firstConnect, _budget, async, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RedisCall.Observe(firstConnect);
            if (countsForBreaker)
            {
                Breaker.RecordAbandoned();
            }

            throw;
        }
        catch (TimeoutException)
        {
            // Still connecting: this caller uses the database; the connect goes on for the next ones.
            RedisCall.Observe(firstConnect);
        }
        catch (Exception) when (firstConnect.IsFaulted)
        {
            // A connect that threw leaves no multiplexer: not connected, below, for this caller and the next ones.
        }

        if (_connection.TryGetDatabase(out var database))
        {
            return database;
        }

        if (countsForBreaker)
        {
            Breaker.RecordFailure();
        }

        return null;
    }

    /// <summary><see cref="RunAsync{T}(Task{T}, Task{bool}?, bool, CancellationToken)"/> of a call that needs no proof.</summary>
    public ValueTask<T> RunAsync<T>(Task<T> call, bool async, CancellationToken cancellationToken = default)
        => RunAsync(call, proof: null, async, cancellationToken);

    /// <summary>
    /// Waits for <paramref name="call"/> within the budget and reports the outcome to the breaker; exceptions
    /// propagate. A refusal because the prefix's slot is moving (<see cref="RedisCacheStore.IsSlotMigrating"/>)
    /// or the server is full (<see cref="RedisCacheStore.IsOutOfMemory"/>) is no failure of Redis. A wait ended by <paramref name="cancellationToken"/> says nothing about Redis: it is neither
    /// a failure nor a success. <paramref name="proof"/>: a command sent before <paramref name="call"/> whose failure
    /// fails it too (<see cref="RedisCacheStore.ReadVersionsAsync"/>'s primary probe), awaited after it; answered
    /// first, it is complete by then.
    /// </summary>
    // Pooled: its state machine was allocated on every Redis call of the read path; its callers await it once.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<T> RunAsync<T>(Task<T> call, Task<bool>? proof, bool async, CancellationToken cancellationToken = default)
    {
        try
        {
            // Bound, not RedisCall.WaitAsync: one async method less per hit (its state machine). A wait that ended
            // before the call (budget, caller gone) leaves the call running: the catches below observe it.
            var result = await RedisCall.Bound(call, _budget, async, cancellationToken).ConfigureAwait(false);
            if (proof is not null)
            {
                await RedisCall.Bound(proof, _budget, async, cancellationToken).ConfigureAwait(false);
            }

            Breaker.RecordSuccess();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(call, proof);
            Breaker.RecordAbandoned();
            throw;
        }
        catch (Exception exception) when (RedisCacheStore.IsSlotMigrating(exception))
        {
            // A healthy node's prompt refusal while the prefix's slot moves. Counted as a failure, it would open
            // the breaker during a resharding and keep the cache off for a break after the move ended.
            Observe(call, proof);
            Breaker.RecordSuccess();
            throw;
        }
        catch (Exception exception) when (RedisCacheStore.IsOutOfMemory(exception))
        {
            // A full server refuses a miss's lock or seeds at once and still answers hits. Counted as a failure,
            // three refused misses in a row would open the breaker and turn the hits off with them.
            Observe(call, proof);
            CacheMetrics.RedisErrors.Add(1);
            Breaker.RecordSuccess();
            throw;
        }
        catch (Exception exception)
        {
            // Out of budget: the call still runs. Failed: the proof, sent before it, may have failed too and is
            // not awaited after a failed call. Observing a task already observed is harmless.
            Observe(call, proof);
            CacheMetrics.RedisErrors.Add(1);
            Breaker.RecordFailure();
            if (RedisCacheStore.IsWrongServer(exception))
            {
                _connection.OnWrongServer();
            }

            throw;
        }
    }

    private static void Observe(Task call, Task? proof)
    {
        RedisCall.Observe(call);
        if (proof is not null)
        {
            RedisCall.Observe(proof);
        }
    }
}
