using EfRedisCache.Resilience;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Resilience;

public sealed class SingleFlightUnitTests
{
    // Contexts are only compared here, never used: no provider needed.
    private static readonly DbContext Context = new(new DbContextOptionsBuilder().Options);
    private static readonly DbContext Waiter = new(new DbContextOptionsBuilder().Options);

    private static readonly CachedResult Rows = new([new CachedResultSet([new CachedColumn("Id", "INTEGER", typeof(long))], [[1L]])], -1);

    [Fact]
    public async Task Waiters_get_the_leaders_rows()
    {
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        var flight = flights.Join("h", "1,2", Context, out var leader);
        var same = flights.Join("h", "1,2", Context, out var second);

        var waiting = flights.WaitAsync("h", same, "1,2", Waiter, TimeSpan.FromSeconds(5), TimeProvider.System, async: true);
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
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        var flight = flights.Join("h", "1,2", Context, out _);
        var own = flights.Join("h", "1,3", Context, out var isLeader);
        var joined = flights.Join("h", "1,3", Context, out var secondIsLeader);

        Assert.True(isLeader);
        Assert.False(secondIsLeader);
        Assert.NotSame(flight, own);
        Assert.Same(own, joined);
        var waiting = flights.WaitAsync("h", joined, (RedisValue)"1,3", Waiter, TimeSpan.FromMilliseconds(200), TimeProvider.System, async: true);
        flights.Land("h", flight, Rows);
        Assert.Null(await waiting);
    }

    [Fact]
    public async Task A_leader_that_never_lands_delays_one_wait_bound_then_the_next_miss_leads()
    {
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        var stuck = flights.Join("h", "1", Context, out _);
        var joined = flights.Join("h", "1", Context, out _);

        Assert.Null(await flights.WaitAsync("h", joined, "1", Waiter, TimeSpan.FromMilliseconds(50), TimeProvider.System, async: true));

        var next = flights.Join("h", "1", Context, out var nextIsLeader);
        Assert.True(nextIsLeader);
        Assert.NotSame(stuck, next);
    }

    [Fact]
    public void Sync_waiters_time_out_too()
    {
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        flights.Join("h", "1", Context, out _);
        var joined = flights.Join("h", "1", Context, out _);

        Assert.Null(flights.WaitAsync("h", joined, "1", Waiter, TimeSpan.FromMilliseconds(50), TimeProvider.System, async: false).RunSynchronously());
        flights.Join("h", "1", Context, out var leads);
        Assert.True(leads);
    }

    [Fact]
    public async Task A_waiter_on_the_leaders_own_context_waits_for_nothing_and_leaves_the_flight_to_the_others()
    {
        // Nested in the loop over the leader's rows: the leader lands after it, so waiting would wait for itself.
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        var flight = flights.Join("h", "1", Context, out _);
        var nested = flights.Join("h", "1", Context, out var nestedIsLeader);
        var other = flights.Join("h", "1", Waiter, out _);

        Assert.False(nestedIsLeader);
        Assert.Null(await flights.WaitAsync("h", nested, "1", Context, TimeSpan.FromMinutes(5), TimeProvider.System, async: true));
        Assert.Null(flights.WaitAsync("h", nested, "1", Context, TimeSpan.FromMinutes(5), TimeProvider.System, async: false).RunSynchronously());

        var waiting = flights.WaitAsync("h", other, "1", Waiter, TimeSpan.FromSeconds(5), TimeProvider.System, async: true);
        flights.Land("h", flight, Rows);
        Assert.Same(Rows, await waiting);
    }

    [Fact]
    public async Task Flights_whose_leaders_never_land_are_not_held_for_good()
    {
        // A reader the application never disposes (an enumerator left open, its context disposed) never lands its
        // flight. Misses of another entry, or of the same one after a write moved its versions, never meet it again,
        // so nothing retired it: a service leaking one such reader per request held a flight per request for good.
        var bound = TimeSpan.FromMilliseconds(50);
        var flights = new SingleFlight(bound);
        for (var i = 0; i < 20_000; i++)
        {
            flights.Join($"abandoned-{i}", "1", Context, out _);
        }

        await Task.Delay(bound * 4);
        for (var i = 0; i < 10; i++)
        {
            flights.Land($"live-{i}", flights.Join($"live-{i}", "1", Waiter, out _), Rows);
        }

        Assert.InRange(flights.Count, 0, SingleFlight.SweepAbove);
    }

    [Fact]
    public async Task A_sweep_leaves_flights_younger_than_the_bound_to_their_waiters()
    {
        var bound = TimeSpan.FromMilliseconds(300);
        var flights = new SingleFlight(bound);
        for (var i = 0; i < SingleFlight.SweepAbove + 10; i++)
        {
            flights.Join($"abandoned-{i}", "1", Context, out _);
        }

        await Task.Delay(bound * 2);
        var live = flights.Join("live", "1", Context, out var leads);
        var joined = flights.Join("live", "1", Waiter, out var joinedLeads);
        var waiting = flights.WaitAsync("live", joined, "1", Waiter, TimeSpan.FromSeconds(5), TimeProvider.System, async: true);
        flights.Land("live", live, Rows);

        Assert.True(leads);
        Assert.False(joinedLeads);
        Assert.Same(Rows, await waiting);
    }

    [Fact]
    public void A_context_leading_a_flight_of_any_entry_is_known_to_lead_another()
    {
        var flights = new SingleFlight(CacheDefaults.StampedeWaitTimeout);
        var outer = flights.Join("h", "1", Context, out _);
        var afterWrite = flights.Join("h", "2", Context, out _);
        var otherEntry = flights.Join("g", "2", Waiter, out _);

        Assert.True(flights.LeadsAnother(Context, afterWrite));
        Assert.True(flights.LeadsAnother(Context, otherEntry));
        Assert.False(flights.LeadsAnother(Waiter, otherEntry));

        flights.Land("h", outer, null);
        Assert.False(flights.LeadsAnother(Context, afterWrite));
        Assert.True(flights.LeadsAnother(Waiter, afterWrite));
    }
}
