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
        var (queries, logs) = await ReadAsLoginWithoutAsync("info", reads: 3);

        Assert.True(queries == 1, $"three reads cost {queries} database queries: the cache did not serve hits");
        Assert.Single(logs, r => r.Id.Name == "FailoverCheckUnavailable");
    }

    /// <summary>
    /// Only a refused INFO turns the check off. A login that may run INFO but not the check's writes (here SET, which
    /// records the marker) must fail the check — no entry trusted, nothing said about INFO — not pass for a server
    /// without INFO and serve entries unchecked after a failover.
    /// </summary>
    [Fact]
    public async Task A_login_refused_the_checks_writes_does_not_pass_for_one_refused_INFO()
    {
        // The prefix is new, so its marker is missing and the check must write one: refused.
        var (queries, logs) = await ReadAsLoginWithoutAsync("set", reads: 2);

        Assert.True(queries == 2, $"two reads cost {queries} database queries: an entry was trusted without a passed check");
        Assert.DoesNotContain(logs, r => r.Id.Name == "FailoverCheckUnavailable");
    }

    /// <summary>
    /// Reads the shop's products <paramref name="reads"/> times, each checked against the truth, through a login whose
    /// ACL allows everything but <paramref name="refused"/>: the database queries they cost and the cache's logs.
    /// </summary>
    private async Task<(int Queries, IReadOnlyList<FakeLogRecord> Logs)> ReadAsLoginWithoutAsync(string refused, int reads)
    {
        var user = $"efrc-no{refused}-" + Guid.NewGuid().ToString("N")[..8];
        var server = ResilienceKit.Server(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-" + refused);
        try
        {
            using var connection = ConnectionMultiplexer.Connect($"{redis.Configuration},user={user},password=secret");
            var logs = new FakeLoggerProvider();
            using var loggerFactory = new LoggerFactory([logs]);
            using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory, connection);

            var truth = await ResilienceKit.TruthAsync(shop);
            shop.Counter.Reset();
            for (var i = 0; i < reads; i++)
            {
                await CrossProcessReads.AssertReadAsync(shop, connection, truth, $"read {i} by a login without {refused}");
            }

            return (shop.Counter.Queries, logs.Collector.GetSnapshot());
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }
}
