using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Resilience;

public sealed class SingleFlightUnitTests
{
    private static readonly CachedResult Rows = new([new CachedResultSet([new CachedColumn("Id", "INTEGER", typeof(long))], [[1L]])], -1);

    [Fact]
    public async Task Waiters_get_the_leaders_rows()
    {
        var flights = new SingleFlight();
        var flight = flights.Join("h", "1,2", out var leader);
        var same = flights.Join("h", "1,2", out var second);

        var waiting = flights.WaitAsync("h", same, "1,2", TimeSpan.FromSeconds(5), TimeProvider.System, async: true);
        flights.Land("h", flight, Rows);

        Assert.True(leader);
        Assert.False(second);
        Assert.Same(Rows, await waiting);
    }

    [Fact]
    public async Task A_waiter_under_other_versions_never_gets_the_leaders_rows()
    {
        // It started after a write the leader's query may predate: it leads a flight of its own (the database),
        // which the others that saw the write join, and the old leader's rows reach none of them.
        var flights = new SingleFlight();
        var flight = flights.Join("h", "1,2", out _);
        var own = flights.Join("h", "1,3", out var isLeader);
        var joined = flights.Join("h", "1,3", out var secondIsLeader);

        Assert.True(isLeader);
        Assert.False(secondIsLeader);
        Assert.NotSame(flight, own);
        Assert.Same(own, joined);
        var waiting = flights.WaitAsync("h", joined, (RedisValue)"1,3", TimeSpan.FromMilliseconds(200), TimeProvider.System, async: true);
        flights.Land("h", flight, Rows);
        Assert.Null(await waiting);
    }

    [Fact]
    public async Task A_leader_that_never_lands_delays_one_wait_bound_then_the_next_miss_leads()
    {
        var flights = new SingleFlight();
        var stuck = flights.Join("h", "1", out _);
        var joined = flights.Join("h", "1", out _);

        Assert.Null(await flights.WaitAsync("h", joined, "1", TimeSpan.FromMilliseconds(50), TimeProvider.System, async: true));

        var next = flights.Join("h", "1", out var nextIsLeader);
        Assert.True(nextIsLeader);
        Assert.NotSame(stuck, next);
    }

    [Fact]
    public void Sync_waiters_time_out_too()
    {
        var flights = new SingleFlight();
        flights.Join("h", "1", out _);
        var joined = flights.Join("h", "1", out _);

        Assert.Null(flights.WaitAsync("h", joined, "1", TimeSpan.FromMilliseconds(50), TimeProvider.System, async: false).RunSynchronously());
        flights.Join("h", "1", out var leads);
        Assert.True(leads);
    }
}
