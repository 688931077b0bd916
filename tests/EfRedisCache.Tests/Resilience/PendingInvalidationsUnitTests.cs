using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Resilience;

/// <summary>Pending invalidations against a Redis that never connects: nothing is lost, nothing is trusted.</summary>
public sealed class PendingInvalidationsUnitTests : IDisposable
{
    private static readonly RedisKey Everything = "efrc:v:all";
    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreaker _breaker;
    private readonly PendingInvalidations _pending;

    public PendingInvalidationsUnitTests()
    {
        _breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(5), _time);
        var connection = new RedisConnection([new System.Net.DnsEndPoint("localhost", 6379)], static () => Task.FromResult<IConnectionMultiplexer?>(null));
        _pending = new PendingInvalidations(new RedisAccess(connection, _breaker, TimeSpan.FromMilliseconds(100)), _time, TimeSpan.FromMilliseconds(200), Everything);
    }

    [Fact]
    public void Nothing_is_pending_at_first()
        => Assert.False(_pending.HasPending);

    [Fact]
    public async Task Replay_with_nothing_pending_succeeds()
        => Assert.True(await _pending.TryReplayAsync());

    [Fact]
    public void Add_sets_HasPending()
    {
        _pending.Add([(RedisKey)"efrc:v:db:t:products"]);

        Assert.True(_pending.HasPending);
    }

    [Fact]
    public async Task A_replay_that_cannot_reach_Redis_keeps_the_keys_pending()
    {
        _pending.Add([(RedisKey)"efrc:v:db:t:products", (RedisKey)"efrc:v:db:w"]);

        Assert.False(await _pending.TryReplayAsync());
        Assert.True(_pending.HasPending);
    }

    [Fact]
    public async Task The_retry_timer_keeps_the_keys_pending_while_Redis_is_away()
    {
        _pending.Add([(RedisKey)"efrc:v:db:t:products"]);

        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Yield();
        }

        Assert.True(_pending.HasPending);
        Assert.True(await _pending.TryReplayAsync() is false);
    }

    [Fact]
    public async Task Replays_while_disconnected_keep_the_keys_and_leave_the_breaker_to_queries()
    {
        // Invalidations bypass the breaker (another process may be serving the entry they kill), and a replay
        // that finds no connection costs nothing, so it must neither deliver nor count as a query failure.
        _pending.Add([(RedisKey)"efrc:v:db:t:products"]);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await _pending.TryReplayAsync());
        }

        Assert.True(_breaker.IsClosed);
        Assert.True(_pending.HasPending);
    }

    /// <summary>
    /// A service that keeps saving while Redis is away (each save bumps the rows it wrote) must not hold a key per row
    /// for the whole outage, nor replay them all in one script when Redis returns: past a bound the pending set is the
    /// global epoch alone, which kills every entry under the prefix — all the keys it replaces did, and more.
    /// </summary>
    [Fact]
    public void Many_pending_keys_collapse_into_the_global_epoch()
    {
        for (var row = 0; row < 3 * PendingInvalidations.MaxKeys; row++)
        {
            _pending.Add([(RedisKey)$"efrc:v:db:t:products:r:{row}", (RedisKey)"efrc:v:db:t:products"]);
        }

        Assert.True(_pending.HasPending);
        Assert.InRange(_pending.Count, 1, PendingInvalidations.MaxKeys);
        Assert.True(_pending.Contains(Everything));
    }

    public void Dispose() => _pending.Dispose();
}
