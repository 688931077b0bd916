using System.Text;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>Garbage in Redis and unusual queries: a miss and the right rows, never an exception.</summary>
[Collection(RedisCollection.Name)]
public sealed class BadInputTests(RedisServerFixture redis)
{
    private const int UnreadableEntryEventId = 1002;

    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("version")]
    [InlineData("json")]
    [InlineData("empty")]
    public async Task Corrupted_entry_is_a_miss_with_correct_rows_is_replaced_and_logged(string corruption)
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory);
        await using var reader = redis.CreateConnection();
        var expected = await ResilienceKit.TruthAsync(shop);
        await ReadAsync(shop, expected);
        var key = Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));
        var database = redis.Connection.GetDatabase();
        var real = (byte[])(await database.HashGetAsync(key, "d"))!;
        var bad = Corrupt(real, corruption);
        await database.HashSetAsync(key, "d", bad);

        await ReadAsync(shop, expected, reader);

        Assert.Equal(2, shop.Counter.Queries); // a miss
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Id == UnreadableEntryEventId && r.Level == LogLevel.Warning);
        Assert.True(await ResilienceKit.EventuallyAsync(async () =>
        {
            var now = await database.HashGetAsync(key, "d");
            return now.IsNull || !((byte[])now!).AsSpan().SequenceEqual(bad);
        }, TimeSpan.FromSeconds(5)), "the unreadable entry was neither deleted nor replaced");

        await ReadAsync(shop, expected, reader);
        await ReadAsync(shop, expected, reader);
        Assert.InRange(shop.Counter.Queries, 2, 3); // cached again
    }

    /// <summary>With no <c>LoggerFactory</c> in the cache's options, warnings go to the context's own logger factory.</summary>
    [Fact]
    public async Task Without_a_cache_logger_factory_the_contexts_logger_factory_gets_the_warning()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis);
        await using var reader = redis.CreateConnection();
        DbContextOptions<ShopContext> Options(IConnectionMultiplexer process) => shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(process, o => o.KeyPrefix = shop.KeyPrefix)
            .UseLoggerFactory(loggerFactory));
        var expected = await ResilienceKit.TruthAsync(shop);
        await using (var context = new ShopContext(Options(redis.Connection)))
        {
            Assert.Equal(expected, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        var key = Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));
        await redis.Connection.GetDatabase().HashSetAsync(key, "d", Corrupt((byte[])(await redis.Connection.GetDatabase().HashGetAsync(key, "d"))!, "random"));
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Id == UnreadableEntryEventId);

        await using (var context = new ShopContext(Options(reader)))
        {
            Assert.Equal(expected, await ResilienceKit.ProductRowsAsync(context, cached: true));
        }

        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Id == UnreadableEntryEventId && r.Level == LogLevel.Warning && r.Category == "EfRedisCache");
    }

    /// <summary>Another program wrote a string where the cache keeps a hash: the query must still be cached, and the rest of the cache must keep working.</summary>
    [Fact]
    public async Task Foreign_value_of_another_type_at_the_entry_key_is_replaced_and_does_not_trip_the_breaker()
    {
        using var shop = new ShopHarness(redis, o => o.CircuitBreakerFailureThreshold = 3);
        await using var reader = redis.CreateConnection();
        var expected = await ResilienceKit.TruthAsync(shop);
        await ReadAsync(shop, expected);
        var key = Assert.Single(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));
        var database = redis.Connection.GetDatabase();
        await database.KeyDeleteAsync(key);
        await database.StringSetAsync(key, "{\"rows\":[]}");

        for (var i = 0; i < 5; i++)
        {
            await ReadAsync(shop, expected, reader);
        }

        // Another query of the same cache still gets cached: the breaker did not open.
        await using (var context = shop.NewContext(reader))
        {
            await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync();
        }

        var beforeHit = shop.Counter.Queries;
        await using (var context = shop.NewContext(reader))
        {
            await context.Categories.OrderBy(c => c.Id).Cacheable().ToListAsync();
        }

        Assert.Equal(beforeHit, shop.Counter.Queries);
        Assert.Equal(RedisType.Hash, await database.KeyTypeAsync(key));
    }

    [Fact]
    public async Task Oversized_result_is_returned_but_not_stored()
    {
        using var shop = new ShopHarness(redis, o => o.MaxEntryBytes = 1024);
        await using (var context = shop.NewUncachedContext())
        {
            context.Products.Add(new Product { Name = new string('x', 2000), Price = 1, CategoryId = ShopSeed.BooksCategoryId, Sku = Guid.NewGuid() });
            await context.SaveChangesAsync();
        }

        var expected = await ResilienceKit.TruthAsync(shop);
        await ReadAsync(shop, expected);
        await ReadAsync(shop, expected);

        Assert.Equal(2, shop.Counter.Queries);
        Assert.Empty(ResilienceKit.EntryKeys(redis.Connection, shop.KeyPrefix));
    }

    [Fact]
    public async Task Unusual_parameters_are_correct_and_cached()
    {
        using var shop = new ShopHarness(redis);
        var longName = string.Concat(Enumerable.Repeat("ab€🚀", 100 * 1024 / 8));
        var emoji = "👩‍👩‍👧 ünï \u0000 \ud83d\ude80 ⚡";
        var image = new byte[1024 * 1024];
        new Random(7).NextBytes(image);
        await using (var context = shop.NewUncachedContext())
        {
            context.Products.AddRange(
                new Product { Name = longName, Price = 1, CategoryId = ShopSeed.BooksCategoryId, Sku = Guid.NewGuid() },
                new Product { Name = emoji, Price = 2, CategoryId = ShopSeed.BooksCategoryId, Sku = Guid.NewGuid(), Image = image });
            await context.SaveChangesAsync();
        }

        string? noName = null;
        double? noRating = null;
        var ids = Enumerable.Range(1, 500).ToList();
        var queries = new Func<ShopContext, bool, Task<List<string>>>[]
        {
            (c, cached) => Rows(c.Products.Where(p => p.Name == longName), cached),
            (c, cached) => Rows(c.Products.Where(p => p.Image == image), cached),
            (c, cached) => Rows(c.Products.Where(p => p.Name == noName || p.Rating == noRating), cached),
            (c, cached) => Rows(c.Products.Where(p => p.Name == emoji || p.Name == "Ünïcødé novel"), cached),
            (c, cached) => Rows(c.Products.Where(p => ids.Contains(p.Id)), cached),
        };

        for (var i = 0; i < queries.Length; i++)
        {
            List<string> truth;
            await using (var context = shop.NewUncachedContext())
            {
                truth = await queries[i](context, false);
            }

            Assert.NotEmpty(truth);
            var before = shop.Counter.Queries;
            await using (var context = shop.NewContext())
            {
                Assert.Equal(truth, await queries[i](context, true));
            }

            await using (var context = shop.NewContext())
            {
                Assert.Equal(truth, await queries[i](context, true));
            }

            Assert.True(before + 1 == shop.Counter.Queries, $"query {i} was not served from the cache the second time");
        }

        static async Task<List<string>> Rows(IQueryable<Product> query, bool cached)
        {
            query = query.OrderBy(p => p.Id);
            var rows = await (cached ? query.Cacheable() : query).ToListAsync();
            return rows.Select(p => $"{ResilienceKit.Describe(p)}|{(p.Image is null ? "-" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(p.Image)))}").ToList();
        }
    }

    [Fact]
    public async Task Key_prefixes_with_odd_characters_work_and_do_not_collide()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] prefixes = [$"{{x}}:y{suffix}", $"ünï{suffix}", $"a*b?[c]{suffix}", $"{{x}}:y{suffix}:q"];
        using var first = new ShopHarness(redis, o => o.KeyPrefix = prefixes[0]);
        var others = prefixes.Skip(1).Select(p => new ShopHarness(redis, o => o.KeyPrefix = p, database: first.Database, seed: false)).ToList();
        try
        {
            var expected = await ResilienceKit.TruthAsync(first);
            foreach (var shop in (ShopHarness[])[first, .. others])
            {
                await ReadAsync(shop, expected);
                await ReadAsync(shop, expected);
                Assert.Equal(1, shop.Counter.Queries); // its own miss, then its own hit
            }

            var server = ResilienceKit.Server(redis.Connection);
            var database = redis.Connection.GetDatabase();
            foreach (var prefix in prefixes)
            {
                Assert.True(await database.KeyExistsAsync($"{KeyStart(prefix)}:v:all"), $"no epoch key under '{prefix}'");
            }

            var keys = server.Keys(pattern: "*" + suffix + "*", pageSize: 1000).Select(k => (string)k!).ToList();
            foreach (var prefix in prefixes)
            {
                var entry = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(KeyStart(prefix)) + ":q:[0-9a-f]{32}$");
                Assert.Single(keys, k => entry.IsMatch(k));
            }
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }

        // The prefixes that hold a Redis Cluster hash tag ({x}) are used as they are; the others go in braces.
        static string KeyStart(string prefix) => prefix.StartsWith("{x}", StringComparison.Ordinal) ? prefix : RedisServerFixture.KeyStart(prefix);
    }

    /// <param name="process">The multiplexer of another process, whose first read of an entry reads it from Redis:
    /// the process that stored the entry keeps the rows it stored and reads only their versions afterwards.</param>
    private static async Task ReadAsync(ShopHarness shop, List<string> expected, IConnectionMultiplexer? process = null)
    {
        await using var context = shop.NewContext(process);
        Assert.Equal(expected, await ResilienceKit.ProductRowsAsync(context, cached: true));
    }

    private static byte[] Corrupt(byte[] real, string corruption)
    {
        switch (corruption)
        {
            case "random":
                var random = new byte[real.Length];
                new Random(42).NextBytes(random);
                return random;
            case "truncated":
                return real[..(real.Length / 2)];
            case "version":
                var version = (byte[])real.Clone();
                version[4] = 99;
                return version;
            case "json":
                return Encoding.UTF8.GetBytes("""{"columns":["Id","Name"],"rows":[[1,"Evil"]]}""");
            default:
                return [];
        }
    }
}
