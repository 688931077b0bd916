using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// Invariant 1 by differential fuzzing: seeded random queries (<see cref="FuzzQueries"/>) over random rows
/// (<see cref="FuzzData"/>), each run uncached, then cached twice — the miss and the hit — and all three answers
/// compared as <see cref="FuzzDescriber"/> spells them (values, CLR types, order; an exception by its type). Every
/// third miss runs in a context that already tracks every row, so EF Core reads only keys and the cache records the
/// other cells with <c>GetValue</c> and converts them on the hit; every third stops reading after a row or two, so
/// the cache reads the rest itself. One seed leaves the queries unmarked under <c>CacheAllQueries</c>. Entries stay from query to query, so two queries
/// that share a key would show as a wrong answer on the first cached read (for two generated queries that are one,
/// that read is a hit, with the same rows). Deterministic: a failure names its seed and query.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DifferentialFuzzTests(RedisServerFixture redis, PostgresFixture postgres)
{
    private const int QueriesPerSeed = 150;

    [Theory]
    [InlineData("sqlite", 1)]
    [InlineData("sqlite", 2)]
    [InlineData("sqlite", 3)]
    [InlineData("postgresql", 1)]
    [InlineData("postgresql", 2)]
    public async Task Random_queries_answer_the_same_uncached_on_a_miss_and_on_a_hit(string provider, int seed)
    {
        var isPostgres = provider == "postgresql";
        using ITestDatabase database = isPostgres ? postgres.NewDatabase() : new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        var localCacheBytes = seed % 2 == 0 ? 0 : 64L << 20; // odd seeds replay rows kept in process, even ones decode Redis's bytes
        var cacheAllQueries = seed == 3; // unmarked queries, cached by the settings
        FuzzContext Uncached() => new(database.CreateOptions<FuzzContext>());
        FuzzContext Cached() => new(database.CreateOptions<FuzzContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.EarlyRefresh = false;
                o.LocalCacheMaxBytes = localCacheBytes;
                o.CacheAllQueries = cacheAllQueries;
            })
            .AddInterceptors(counter)));

        var random = new Random(seed);
        await using (var context = Uncached())
        {
            await context.Database.EnsureCreatedAsync();
            FuzzData.Seed(context, random, isPostgres);
        }

        var hits = 0;
        for (var index = 0; index < QueriesPerSeed; index++)
        {
            var query = FuzzQueries.Next(random, isPostgres);
            var where = $"{provider} seed {seed} query {index}: {query.Description}";
            var trackFirst = index % 3 == 2;
            int? stopAfter = index % 3 == 1 ? 1 + (index % 2) : null; // a miss that leaves the rows after the first one or two

            string truth;
            await using (var context = Uncached())
            {
                truth = await Answer(context, query, cached: false, stopAfter: null);
            }

            counter.Reset();
            await using (var context = Cached())
            {
                if (trackFirst)
                {
                    await context.Items.Include(i => i.Owner).Include(i => i.Notes).AsSplitQuery().NotCacheable().ToListAsync();
                    counter.Reset();
                }

                var miss = await Answer(context, query, cached: !cacheAllQueries, stopAfter); // a hit when an earlier query was the same
                if (!trackFirst && stopAfter is null)
                {
                    // A context that tracks every row fixes up navigations the query did not include: only its hit compares.
                    Assert.True(truth == miss, $"{where}\nuncached: {truth}\nmiss:     {miss}");
                }
            }

            var missQueries = counter.Queries;
            await using (var context = Cached())
            {
                var hit = await Answer(context, query, cached: !cacheAllQueries, stopAfter: null);
                Assert.True(truth == hit, $"{where} (miss in a tracking context: {trackFirst}, stopped after {stopAfter} rows)\nuncached: {truth}\nhit:      {hit}");
            }

            if (!truth.StartsWith("throws", StringComparison.Ordinal))
            {
                Assert.True(counter.Queries == missQueries, $"{where}: the second read was not a hit ({counter.Queries - missQueries} more queries)");
                hits++;
            }
        }

        Assert.True(hits >= QueriesPerSeed / 2, $"{provider} seed {seed}: only {hits} of {QueriesPerSeed} queries ran; the rest threw");
    }

    private static async Task<string> Answer(FuzzContext context, FuzzQuery query, bool cached, int? stopAfter)
    {
        try
        {
            return FuzzDescriber.Describe(await query.Run(context, cached, stopAfter));
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or InvalidCastException or OverflowException or FormatException)
        {
            return $"throws {ex.GetType().Name}";
        }
    }
}
