using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// An entry whose checksum is right but whose body is not a result (a bug, another writer): the checksum cannot catch
/// it, the parser must. The query is a miss with the database's rows, the entry is deleted and the event logged — on
/// a plain read, and for a read waiting on another process's stampede lock when that process's entry turns out
/// unreadable; with rows kept in process (the default) and without. Each test has a <c>redis-server</c> of its own,
/// so the server's command counts say when the waiter is polling.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MalformedEntryBehindValidChecksumTests
{
    private const int UnreadableEntryEventId = 1002;

    [Theory]
    [InlineData(null, "trailing bytes")]
    [InlineData(null, "one result set more than it holds")]
    [InlineData(0L, "trailing bytes")]
    [InlineData(0L, "one result set more than it holds")]
    public async Task A_read_of_it_is_a_miss_with_the_database_rows_and_deletes_it(long? localCacheMaxBytes, string malformation)
    {
        using var server = StartServer();
        await using var writer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var reader = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(writer, "malformed", o => Configure(o, localCacheMaxBytes, loggerFactory));
        var truth = await ResilienceKit.TruthAsync(shop);
        Assert.Equal(truth, await ReadAsync(shop));
        var (entry, bad) = await MalformEntryAsync(writer, shop, [], malformation);

        var before = shop.Counter.Queries;
        Assert.Equal(truth, await ReadAsync(shop, reader));

        Assert.Equal(1, shop.Counter.Queries - before);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Id == UnreadableEntryEventId && r.Level == LogLevel.Warning);
        await AssertGoneOrReplacedAsync(writer, entry, bad);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public async Task Reads_waiting_on_another_processs_lock_go_to_the_database_when_its_entry_is_unreadable(long? localCacheMaxBytes)
    {
        using var server = StartServer();
        await using var writer = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var waiter = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        var waitTimeout = TimeSpan.FromSeconds(20);
        using var shop = new ShopHarness(writer, "malformed", o =>
        {
            Configure(o, localCacheMaxBytes, loggerFactory);
            o.StampedeWaitTimeout = waitTimeout;
        });
        var truth = await ResilienceKit.TruthAsync(shop);
        await WarmUpAsync(shop, waiter);
        var warmUpEntries = await EntriesWhenStoredAsync(writer, shop, count: 1);
        Assert.Equal(truth, await ReadAsync(shop));
        var (entry, bad) = await MalformEntryAsync(writer, shop, warmUpEntries, "trailing bytes");
        var database = writer.GetDatabase();
        var fields = await database.HashGetAllAsync(entry);
        var ttl = await database.KeyTimeToLiveAsync(entry);

        // A third process holds the entry's lock and queries the database; three reads of the waiting process line up
        // behind it: one polls for its entry, the others follow that one in process.
        await database.KeyDeleteAsync(entry);
        var lockKey = entry.ToString().Replace(":q:", ":lock:", StringComparison.Ordinal);
        await database.StringSetAsync(lockKey, "a third process", TimeSpan.FromSeconds(60));
        var admin = ResilienceKit.Server(writer);
        await admin.ExecuteAsync("CONFIG", "RESETSTAT");
        var before = shop.Counter.Queries;
        var watch = Stopwatch.StartNew();
        var waiting = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ReadAsync(shop, waiter))).ToArray();
        Assert.True(await ResilienceKit.EventuallyAsync(async () => await ScriptCallsAsync(admin) >= 3, TimeSpan.FromSeconds(10)), "the reads should be polling for the lock holder's entry");

        // The holder stores its entry, which is unreadable, and releases its lock.
        await database.HashSetAsync(entry, fields);
        await database.KeyExpireAsync(entry, ttl);
        await database.KeyDeleteAsync(lockKey);
        var results = await Task.WhenAll(waiting);

        Assert.All(results, rows => Assert.Equal(truth, rows));
        Assert.True(watch.Elapsed < waitTimeout / 2, $"the reads took {watch.ElapsedMilliseconds} ms: they waited out the lock instead of reading the database");
        Assert.Equal(1, shop.Counter.Queries - before);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Id == UnreadableEntryEventId && r.Level == LogLevel.Warning);
        await AssertGoneOrReplacedAsync(writer, entry, bad);
    }

    private static LocalRedisServer StartServer()
        => LocalRedisServer.StartNew(LocalRedisServer.FindExecutable() ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage));

    private static void Configure(RedisCacheAsideOptions options, long? localCacheMaxBytes, ILoggerFactory loggerFactory)
    {
        options.LoggerFactory = loggerFactory;
        if (localCacheMaxBytes is { } bytes)
        {
            options.LocalCacheMaxBytes = bytes;
        }
    }

    /// <summary>Replaces the single entry's rows with a malformed body behind a checksum computed over it, as the format computes it.</summary>
    private static async Task<(RedisKey Entry, byte[] Bad)> MalformEntryAsync(IConnectionMultiplexer connection, ShopHarness shop, RedisKey[] earlier, string malformation)
    {
        var entry = Assert.Single((await EntriesWhenStoredAsync(connection, shop, earlier.Length + 1)).Except(earlier));
        var database = connection.GetDatabase();
        var real = (byte[])(await database.HashGetAsync(entry, "d"))!;
        var body = real[..^4];
        body = malformation switch
        {
            "trailing bytes" => [.. body, 0],
            _ => Bump(body, at: 5), // the count of result sets, right after "EFRC" and the version byte
        };
        var bad = new byte[body.Length + 4];
        body.CopyTo(bad, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(body.Length), CachedResultSerializer.ComputeChecksum(body));
        Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(bad));
        await database.HashSetAsync(entry, "d", bad);
        return (entry, bad);

        static byte[] Bump(byte[] bytes, int at)
        {
            var copy = (byte[])bytes.Clone();
            copy[at]++;
            return copy;
        }
    }

    /// <summary>The entry keys once there are <paramref name="count"/>: a miss stores its entry after the query returned.</summary>
    private static async Task<RedisKey[]> EntriesWhenStoredAsync(IConnectionMultiplexer connection, ShopHarness shop, int count)
    {
        Assert.True(await ResilienceKit.EventuallyAsync(() => Task.FromResult(ResilienceKit.EntryKeys(connection, shop.KeyPrefix).Length == count), TimeSpan.FromSeconds(5)), $"expected {count} stored entries");
        return ResilienceKit.EntryKeys(connection, shop.KeyPrefix);
    }

    private static async Task AssertGoneOrReplacedAsync(IConnectionMultiplexer connection, RedisKey entry, byte[] bad)
    {
        var database = connection.GetDatabase();
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            var now = await database.HashGetAsync(entry, "d");
            return now.IsNull || !((byte[])now!).AsSpan().SequenceEqual(bad);
        }, TimeSpan.FromSeconds(5)), "the unreadable entry was neither deleted nor replaced");
    }

    /// <summary>The first read of a registration checks which Redis process answers: done before the counts matter.</summary>
    private static async Task WarmUpAsync(ShopHarness shop, IConnectionMultiplexer process)
    {
        await using var context = shop.NewContext(process);
        _ = await context.Customers.AsNoTracking().Cacheable().CountAsync();
    }

    private static async Task<List<string>> ReadAsync(ShopHarness shop, IConnectionMultiplexer? process = null)
    {
        await using var context = shop.NewContext(process);
        return await ResilienceKit.ProductRowsAsync(context, cached: true);
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
        return Calls("eval") + Calls("evalsha");

        long Calls(string command) => stats.TryGetValue("cmdstat_" + command, out var value)
            ? long.Parse(value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture)
            : 0;
    }
}
