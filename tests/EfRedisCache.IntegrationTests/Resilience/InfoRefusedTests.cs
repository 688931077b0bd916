using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// The failover check reads <c>INFO</c> inside a script. A server that refuses it is cached without the check, with
/// one warning (README, "Limits"; event 1009) — whether INFO was renamed away or the login's ACL leaves it out, as
/// managed services and least-privilege setups do.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InfoRefusedTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_login_whose_ACL_refuses_INFO_is_cached_without_the_failover_check_and_warned_once()
    {
        var user = "efrc-noinfo-" + Guid.NewGuid().ToString("N")[..8];
        var server = ResilienceKit.Server(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-info");
        try
        {
            using var connection = ConnectionMultiplexer.Connect($"{redis.Configuration},user={user},password=secret");
            var logs = new FakeLoggerProvider();
            using var loggerFactory = new LoggerFactory([logs]);
            using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory, connection);

            var truth = await ResilienceKit.TruthAsync(shop);
            shop.Counter.Reset();
            for (var i = 0; i < 3; i++)
            {
                await CrossProcessReads.AssertReadAsync(shop, connection, truth, $"read {i} by a login without INFO");
            }

            Assert.True(shop.Counter.Queries == 1, $"three reads cost {shop.Counter.Queries} database queries: the cache did not serve hits");
            Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "FailoverCheckUnavailable");
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    /// <summary>
    /// Only a refused INFO turns the check off. A login that may run INFO but not the check's writes (here SET, which
    /// records the marker) must fail the check — no entry trusted, nothing said about INFO — not pass for a server
    /// without INFO and serve entries unchecked after a failover.
    /// </summary>
    [Fact]
    public async Task A_login_refused_the_checks_writes_does_not_pass_for_one_refused_INFO()
    {
        var user = "efrc-noset-" + Guid.NewGuid().ToString("N")[..8];
        var server = ResilienceKit.Server(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-set");
        try
        {
            using var connection = ConnectionMultiplexer.Connect($"{redis.Configuration},user={user},password=secret");
            var logs = new FakeLoggerProvider();
            using var loggerFactory = new LoggerFactory([logs]);
            using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory, connection);

            // The prefix is new, so its marker is missing and the check must write one: refused.
            var truth = await ResilienceKit.TruthAsync(shop);
            shop.Counter.Reset();
            for (var i = 0; i < 2; i++)
            {
                await CrossProcessReads.AssertReadAsync(shop, connection, truth, $"read {i} by a login without SET");
            }

            Assert.True(shop.Counter.Queries == 2, $"two reads cost {shop.Counter.Queries} database queries: an entry was trusted without a passed check");
            Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Name == "FailoverCheckUnavailable");
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
