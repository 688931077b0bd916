using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.Resilience;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// What each kind of read asks of Redis, counted by the server itself (<c>INFO commandstats</c>) on a
/// <c>redis-server</c> of the test's own, so no other test's commands mix in. A hit is one round trip of plain
/// reads; a miss is one lookup script before the database query (and one store script after it), not a probe
/// first and the script after it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RoundTripTests
{
    [Fact]
    public async Task With_rows_kept_a_new_key_is_one_lookup_script_and_every_later_hit_one_MGET_of_versions()
    {
        using var server = LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        using var shop = new ShopHarness(connection, "trips");
        await WarmUpAsync(shop);

        var miss = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 1));
        Assert.Equal((Scripts: 2L, Mget: 0L, Hmget: 1L), miss); // the lookup, whose HMGET of the entry is counted too, then the store

        // The miss kept the rows it stored: the next read asks only for their versions.
        var hit = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 0));
        Assert.Equal((Scripts: 0L, Mget: 1L, Hmget: 0L), hit);

        // Another process's entry: its first hit here reads the rows through the same script, and keeps them.
        await using var processB = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await WarmUpAsync(shop, processB);
        var firstHitInB = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 0, processB));
        Assert.Equal((Scripts: 1L, Mget: 0L, Hmget: 1L), firstHitInB);
        var hitInB = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 0, processB));
        Assert.Equal((Scripts: 0L, Mget: 1L, Hmget: 0L), hitInB);
    }

    [Fact]
    public async Task With_nothing_kept_a_hit_is_one_round_trip_of_plain_reads()
    {
        using var server = LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        using var shop = new ShopHarness(connection, "trips", o => o.LocalCacheMaxBytes = 0);
        await WarmUpAsync(shop);

        // Every hit reads the rows from Redis, so the probe of plain reads comes first; a miss goes on to the script.
        var miss = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 1));
        Assert.Equal((Scripts: 2L, Mget: 1L, Hmget: 2L), miss);

        var hit = await CountAsync(connection, shop, () => ReadAsync(shop, expectedDatabaseQueries: 0));
        Assert.Equal((Scripts: 0L, Mget: 1L, Hmget: 1L), hit);
    }

    [Fact]
    public async Task A_miss_that_waited_for_another_processs_rows_keeps_them()
    {
        using var server = LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage));
        await using var waiter = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var other = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        using var shop = new ShopHarness(waiter, "trips");

        // Another process that does not wait for locks, so it can store the entry while the lock below is held, and
        // keeps no rows, so each of its reads goes to Redis. (Not disposed: the database is the first shop's.)
        var otherShop = new ShopHarness(other, "trips", o => { o.StampedeProtection = false; o.LocalCacheMaxBytes = 0; }, shop.Database, seed: false);
        await WarmUpAsync(shop);
        await WarmUpAsync(otherShop);

        // Learn the entry's name from a first read, then stand for a third process that holds its lock and queries.
        var admin = ResilienceKit.Server(waiter);
        var warmUpEntries = Entries(admin, shop.KeyPrefix);
        await ReadAsync(otherShop, expectedDatabaseQueries: 1);
        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(Entries(admin, shop.KeyPrefix).Count == warmUpEntries.Count + 1), TimeSpan.FromSeconds(5)), "the first read should have stored its entry");
        var entry = Assert.Single(Entries(admin, shop.KeyPrefix).Except(warmUpEntries));
        var database = waiter.GetDatabase();
        await database.KeyDeleteAsync(entry);
        await database.StringSetAsync(entry.Replace(":q:", ":lock:", StringComparison.Ordinal), "a third process", TimeSpan.FromSeconds(30));

        await admin.ExecuteAsync("CONFIG", "RESETSTAT");
        var waiting = ReadAsync(shop, expectedDatabaseQueries: 0);
        Assert.True(await ResilienceKit.EventuallyAsync(async () => await ScriptCallsAsync(admin) >= 2, TimeSpan.FromSeconds(5)), "the read should be polling for the lock holder's entry");
        await ReadAsync(otherShop, expectedDatabaseQueries: 1); // stores the entry the waiter polls for
        await waiting;

        var hit = await CountAsync(waiter, shop, () => ReadAsync(shop, expectedDatabaseQueries: 0));
        Assert.Equal((Scripts: 0L, Mget: 1L, Hmget: 0L), hit);
    }

    /// <summary>The first read of a registration checks which Redis process answers (one script): not counted below.</summary>
    private static async Task WarmUpAsync(ShopHarness shop, IConnectionMultiplexer? process = null)
    {
        await using var context = shop.NewContext(process);
        _ = await context.Customers.AsNoTracking().Cacheable().CountAsync();
    }

    private static async Task<List<string>> ReadAsync(ShopHarness shop, int expectedDatabaseQueries, IConnectionMultiplexer? process = null)
    {
        var before = shop.Counter.Queries;
        await using var context = shop.NewContext(process);
        var rows = await ResilienceKit.ProductRowsAsync(context, cached: true);
        Assert.Equal(expectedDatabaseQueries, shop.Counter.Queries - before);
        return rows;
    }

    /// <summary>
    /// Scripts, MGETs and HMGETs the server ran during <paramref name="read"/> and the store it may start. The server
    /// counts the commands a script runs as well: the lookup script's HMGET of the entry is among the HMGETs.
    /// </summary>
    private static async Task<(long Scripts, long Mget, long Hmget)> CountAsync(IConnectionMultiplexer connection, ShopHarness shop, Func<Task> read)
    {
        var server = ResilienceKit.Server(connection);
        var entries = EntryCount(server, shop.KeyPrefix);
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
        await read();

        // The store after a miss is not awaited by the query: wait for the entry it writes.
        if (entries == 0)
        {
            Assert.True(
                await ResilienceKit.EventuallyAsync(() => Task.FromResult(EntryCount(server, shop.KeyPrefix) == 1), TimeSpan.FromSeconds(5)),
                "the miss should have stored its entry");
        }

        var stats = await CommandStatsAsync(server);
        return (Calls(stats, "eval") + Calls(stats, "evalsha"), Calls(stats, "mget"), Calls(stats, "hmget"));
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = await CommandStatsAsync(server);
        return Calls(stats, "eval") + Calls(stats, "evalsha");
    }

    private static async Task<Dictionary<string, string>> CommandStatsAsync(IServer server)
        => (await server.InfoAsync("commandstats")).SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);

    private static long Calls(Dictionary<string, string> stats, string command)
        => stats.TryGetValue("cmdstat_" + command, out var value)
            ? long.Parse(value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture)
            : 0;

    private static int EntryCount(IServer server, string prefix) => Entries(server, prefix).Count;

    private static List<string> Entries(IServer server, string prefix) => [.. server.Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":q:*").Select(key => (string)key!)];
}
