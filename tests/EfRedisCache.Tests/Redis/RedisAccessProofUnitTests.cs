using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Redis;

/// <summary>
/// A hit on rows kept in process sends the primary probe before its version read and hands the probe to
/// <see cref="RedisAccess.RunAsync{T}(Task{T}, Task{bool}?, bool, CancellationToken)"/> as the read's proof: the versions a
/// demoted primary answers must never be trusted, and its refusals must count as a failure, as they did when the version
/// read awaited the probe itself. The replies are completed tasks (a replica's refusal as StackExchange.Redis reports it);
/// nothing connects.
/// </summary>
public sealed class RedisAccessProofUnitTests
{
    private static readonly RedisServerException ReadOnly = new(RedisErrorKind.ReadOnly, CommandFlags.None, "READONLY You can't write against a read only replica.");

    [Fact]
    public async Task Versions_read_after_a_refused_primary_probe_fail_the_call_count_against_the_breaker_and_report_a_wrong_server()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(5), time);
        var connection = new RedisConnection([new System.Net.DnsEndPoint("localhost", 6379)], static () => Task.FromResult<IConnectionMultiplexer?>(null));
        var wrongServer = 0;
        connection.WrongServer += () => wrongServer++;
        var access = new RedisAccess(connection, breaker, TimeSpan.FromMilliseconds(100));
        RedisValue[] versions = ["1", "2"];

        for (var i = 0; i < 3; i++)
        {
            var thrown = await Assert.ThrowsAsync<RedisServerException>(
                () => access.RunAsync(Task.FromResult(versions), Task.FromException<bool>(ReadOnly), async: true).AsTask());
            Assert.Same(ReadOnly, thrown);
        }

        Assert.Equal(3, wrongServer);
        Assert.False(breaker.AllowRequest()); // three failures in a row: open
    }

    [Fact]
    public async Task Versions_read_after_an_accepted_primary_probe_are_returned_and_count_as_a_success()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(5), time);
        var connection = new RedisConnection([new System.Net.DnsEndPoint("localhost", 6379)], static () => Task.FromResult<IConnectionMultiplexer?>(null));
        var access = new RedisAccess(connection, breaker, TimeSpan.FromMilliseconds(100));
        RedisValue[] versions = ["1", "2"];

        Assert.Same(versions, await access.RunAsync(Task.FromResult(versions), Task.FromResult(false), async: true));
        Assert.Same(versions, access.RunAsync(Task.FromResult(versions), Task.FromResult(false), async: false).RunSynchronously());
        Assert.True(breaker.AllowRequest());
    }
}
