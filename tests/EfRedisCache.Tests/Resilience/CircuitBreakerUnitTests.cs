using EfRedisCache.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace EfRedisCache.Tests.Resilience;

public sealed class CircuitBreakerUnitTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Opens_after_threshold_failures_in_a_row_and_rejects_while_open()
    {
        var breaker = new CircuitBreaker(3, Break, _time);

        Assert.False(breaker.RecordFailure());
        Assert.False(breaker.RecordFailure());
        Assert.True(breaker.AllowRequest());
        Assert.True(breaker.RecordFailure()); // the third opens it

        Assert.False(breaker.IsClosed);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(breaker.AllowRequest());
        }

        _time.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.False(breaker.AllowRequest());
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var breaker = new CircuitBreaker(3, Break, _time);

        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.RecordSuccess();
        Assert.False(breaker.RecordFailure());
        Assert.False(breaker.RecordFailure());

        Assert.True(breaker.IsClosed);
        Assert.True(breaker.AllowRequest());
    }

    [Fact]
    public void After_the_break_exactly_one_probe_is_let_through()
    {
        var breaker = Opened();

        _time.Advance(Break);

        Assert.True(breaker.AllowRequest());
        Assert.False(breaker.AllowRequest());
        Assert.False(breaker.AllowRequest());
    }

    [Fact]
    public void Probe_success_closes_the_breaker()
    {
        var breaker = Opened();
        _time.Advance(Break);
        Assert.True(breaker.AllowRequest());

        breaker.RecordSuccess();

        Assert.True(breaker.IsClosed);
        Assert.True(breaker.AllowRequest());
        Assert.True(breaker.AllowRequest());

        // Closed with a fresh count: it takes the full threshold (2) again to open it.
        Assert.False(breaker.RecordFailure());
        Assert.True(breaker.IsClosed);
        Assert.True(breaker.RecordFailure());
    }

    [Fact]
    public void An_abandoned_probe_lets_the_next_caller_probe_at_once_and_leaves_a_closed_breaker_closed()
    {
        var breaker = Opened();
        _time.Advance(Break);
        Assert.True(breaker.AllowRequest());
        Assert.False(breaker.AllowRequest());

        breaker.RecordAbandoned(); // the probe's caller cancelled: no verdict on Redis

        Assert.False(breaker.IsClosed);
        Assert.True(breaker.AllowRequest()); // the next caller probes, without waiting for another break
        breaker.RecordSuccess();
        Assert.True(breaker.IsClosed);

        breaker.RecordAbandoned();
        Assert.True(breaker.IsClosed);
        Assert.False(breaker.RecordFailure()); // and abandoning counted no failure: still the full threshold (2)
        Assert.True(breaker.RecordFailure());
    }

    [Fact]
    public void Probe_failure_reopens_for_a_full_break()
    {
        var breaker = Opened();
        _time.Advance(Break);
        Assert.True(breaker.AllowRequest());

        Assert.True(breaker.RecordFailure()); // a single failure of the probe reopens it

        Assert.False(breaker.IsClosed);
        Assert.False(breaker.AllowRequest());
        _time.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.False(breaker.AllowRequest());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(breaker.AllowRequest());
    }

    [Fact]
    public void Concurrent_callers_after_the_break_get_exactly_one_probe()
    {
        for (var round = 0; round < 50; round++)
        {
            var breaker = Opened();
            _time.Advance(Break);
            var allowed = 0;
            using var start = new Barrier(8);
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 100; i++)
                {
                    if (breaker.AllowRequest())
                    {
                        Interlocked.Increment(ref allowed);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Equal(1, allowed);
        }
    }

    [Fact]
    public void Threshold_of_one_opens_on_the_first_failure()
    {
        var breaker = new CircuitBreaker(1, Break, _time);

        Assert.True(breaker.RecordFailure());
        Assert.False(breaker.AllowRequest());
    }

    private CircuitBreaker Opened()
    {
        var breaker = new CircuitBreaker(2, Break, _time);
        breaker.RecordFailure();
        Assert.True(breaker.RecordFailure());
        Assert.False(breaker.AllowRequest());
        return breaker;
    }
}
