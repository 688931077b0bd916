using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Version keys now carry an expiry, so a <c>volatile-lru</c> (or <c>volatile-random</c>) Redis at its <c>maxmemory</c>
/// may evict them, which it never did while they had none: beside entries and locks, a key per table, row and tag is
/// now fair game. An evicted version key must cost misses only — never a hit on rows from before a write whose bump
/// found the key gone — and never an exception. Two multiplexers stand for two processes, reading and writing while
/// the server evicts with every command.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class VolatileEvictionTests(RedisServerFixture redis)
{
    private static readonly int[] Ids = [ShopSeed.KeyboardId, ShopSeed.MouseId, ShopSeed.NovelId];

    [Theory]
    [InlineData("volatile-lru")]
    [InlineData("volatile-random")]
    public async Task Version_keys_evicted_while_processes_read_and_write_never_let_a_process_read_a_row_from_before_a_write(string policy)
    {
        using var shop = new ShopHarness(redis);
        using var otherProcess = ResilienceKit.FastConnection(redis);
        var processes = new[] { ResilienceKit.Options(shop, redis.Connection), ResilienceKit.Options(shop, otherProcess) };
        var server = ResilienceKit.Server(redis.Connection);
        var database = redis.Connection.GetDatabase();
        var filler = redis.NewKeyPrefix() + ":fill:";
        var filled = 0;
        var random = new Random(20_261_124);
        var policyBefore = (await server.ConfigGetAsync("maxmemory-policy")).Single().Value;
        try
        {
            // Warm, then cap the memory just above what is used, so every command that needs memory evicts keys
            // that have an expiry: the filler's, the entries, locks and version keys.
            foreach (var options in processes)
            {
                await ReadAllAsync(options);
            }

            var used = long.Parse(ParseInfo(await server.InfoRawAsync("memory"), "used_memory"), System.Globalization.CultureInfo.InvariantCulture);
            await server.ConfigSetAsync("maxmemory-policy", policy);
            await server.ConfigSetAsync("maxmemory", (used + (256 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var evictedBefore = long.Parse(ParseInfo(await server.InfoRawAsync("stats"), "evicted_keys"), System.Globalization.CultureInfo.InvariantCulture);

            var chunk = new string('f', 64 * 1024);
            var versionKeys = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":v:*";
            var versionKeysEvicted = 0;
            for (var op = 0; op < 300; op++)
            {
                // Version keys live far longer than this test, and a bump adds 1: one gone, or recreated with a new
                // random seed, was evicted.
                var seen = server.Keys(pattern: versionKeys).Select(k => (Key: k, Value: (long?)database.StringGet(k))).ToList();
                for (var i = 0; i < 2; i++, filled++)
                {
                    await database.StringSetAsync(filler + filled, chunk, TimeSpan.FromHours(1));
                }

                var process = processes[random.Next(processes.Length)];
                if (random.Next(3) == 0)
                {
                    await using var writer = new ShopContext(process);
                    var id = Ids[random.Next(Ids.Length)];
                    var product = await writer.Products.SingleAsync(p => p.Id == id);
                    product.Name = $"Name {op}";
                    product.Stock = op;
                    await writer.SaveChangesAsync();
                }

                foreach (var reader in processes)
                {
                    var truth = await TruthAsync(shop);
                    var read = await ReadAllAsync(reader);
                    Assert.True(truth.SequenceEqual(read), $"{policy}, operation {op}: stale read.\n read:  {string.Join("; ", read)}\n truth: {string.Join("; ", truth)}");
                }

                versionKeysEvicted += seen.Count(k => (long?)database.StringGet(k.Key) is not { } now || Math.Abs(now - (k.Value ?? now)) > 1000);
            }

            // Under volatile-random every key with an expiry is as likely to go; under volatile-lru the keys earlier tests
            // left behind go first, and in a full run they may take all the pressure: the reads are checked all the same.
            Assert.True(policy != "volatile-random" || versionKeysEvicted > 10, $"only {versionKeysEvicted} version keys evicted: the test did not test what it says");

            var evicted = long.Parse(ParseInfo(await server.InfoRawAsync("stats"), "evicted_keys"), System.Globalization.CultureInfo.InvariantCulture) - evictedBefore;
            Assert.True(evicted > 1000, $"only {evicted} keys evicted: the server was not under pressure");
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
            await server.ConfigSetAsync("maxmemory-policy", policyBefore);
            for (var i = 0; i < filled; i++)
            {
                await database.KeyDeleteAsync(filler + i, CommandFlags.FireAndForget);
            }
        }
    }

    /// <summary>The list and each key lookup, through the cache.</summary>
    private static async Task<List<string>> ReadAllAsync(DbContextOptions<ShopContext> options)
    {
        await using var context = new ShopContext(options);
        var rows = (await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()).Select(ResilienceKit.Describe).ToList();
        foreach (var id in Ids)
        {
            var row = await context.Products.AsNoTracking().Cacheable().FirstOrDefaultAsync(p => p.Id == id);
            rows.Add(row is null ? "none" : ResilienceKit.Describe(row));
        }

        return rows;
    }

    private static async Task<List<string>> TruthAsync(ShopHarness shop)
    {
        await using var context = shop.NewUncachedContext();
        var rows = (await context.Products.AsNoTracking().OrderBy(p => p.Id).ToListAsync()).Select(ResilienceKit.Describe).ToList();
        foreach (var id in Ids)
        {
            var row = await context.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
            rows.Add(row is null ? "none" : ResilienceKit.Describe(row));
        }

        return rows;
    }

    private static string ParseInfo(string? info, string field)
        => (info ?? string.Empty).Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..];
}
