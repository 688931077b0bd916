using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Reads of the shop's product list through several multiplexers, each standing for an application process, as the
/// failover and resharding tests make them: every read checked against the database's rows, and "the cache
/// resumed" meaning a whole round of reads cost no database query.
/// </summary>
internal static class CrossProcessReads
{
    /// <summary>Reads the product list twice through <paramref name="connection"/>, so its entry is in Redis (and its rows kept); returns the rows.</summary>
    public static async Task<List<string>> ReadTwiceAsync(ShopHarness shop, IConnectionMultiplexer connection)
    {
        List<string> rows = [];
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext(connection);
            rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
        }

        return rows;
    }

    /// <summary>
    /// Reads the product list through <paramref name="reader"/> until <paramref name="server"/> (a replica, or a
    /// server about to snapshot) holds its cached entry; returns the rows. A failover test's hazard is the entries
    /// from before a write on the server that answers after it, and one read does not always store them: on a busy
    /// machine a miss may skip its store (a connection event during the read, a Redis reply slower than the
    /// budget), and a replica receives what its primary stored a moment later.
    /// </summary>
    public static async Task<List<string>> ReadUntilCachedOnAsync(ShopHarness shop, IConnectionMultiplexer reader, IServer server)
    {
        var pattern = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*";
        List<string> rows = [];
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            rows = await ReadTwiceAsync(shop, reader);
            return server.Keys(pattern: pattern).Any();
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50)), $"no cached entry of the product list reached {server.EndPoint} within 15 s");
        return rows;
    }

    /// <summary>Reads once through <paramref name="process"/>; the rows must be <paramref name="truth"/>.</summary>
    public static async Task AssertReadAsync(ShopHarness shop, IConnectionMultiplexer process, List<string> truth, string when)
    {
        await using var context = shop.NewContext(process);
        var rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
        Assert.True(truth.SequenceEqual(rows),
            $"stale rows {when}:{Environment.NewLine}  read:  {string.Join("; ", rows)}{Environment.NewLine}  truth: {string.Join("; ", truth)}");
    }

    /// <summary>
    /// Reads twice through each of <paramref name="processes"/> (a miss, then a hit on the entry it stored); every
    /// read must return <paramref name="truth"/>, the first one too: after a failover it is the one that meets the
    /// new topology first.
    /// </summary>
    public static async Task AssertReadsAsync(ShopHarness shop, List<string> truth, string when, params IConnectionMultiplexer[] processes)
    {
        for (var i = 0; i < processes.Length; i++)
        {
            for (var read = 1; read <= 2; read++)
            {
                await AssertReadAsync(shop, processes[i], truth, $"in process {i}, read {read}, {when}");
            }
        }
    }

    /// <summary>
    /// Reads through every process until a whole round costs no database query (the cache serves hits again) or
    /// <paramref name="timeout"/> passes; every read on the way must return <paramref name="truth"/>.
    /// </summary>
    public static async Task AssertResumesAsync(ShopHarness shop, List<string> truth, string when, TimeSpan timeout, params IConnectionMultiplexer[] processes)
    {
        shop.Counter.Reset();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            await AssertReadsAsync(shop, truth, when, processes);
            var queries = shop.Counter.Queries;
            shop.Counter.Reset();
            return queries == 0;
        }, timeout, TimeSpan.FromMilliseconds(100)), $"the cache did not serve hits again {when} within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Saves a new name for the novel through the shop's cached context; returns the rows after the write, checked against the database.</summary>
    public static async Task<List<string>> RenameNovelAsync(ShopHarness shop, string name)
    {
        await using (var writer = shop.NewContext())
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.NovelId)).Name = name;
            await writer.SaveChangesAsync();
        }

        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Contains(truth, r => r.Contains(name, StringComparison.Ordinal));
        return truth;
    }
}
