using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// What the PostgreSQL value tests share: a database of their own with <see cref="PgValueContext"/>'s schema, the
/// cached contexts' command counter and captured logs, and uncached and cached contexts over it.
/// </summary>
public abstract class PgValueTestBase : IDisposable
{
    private readonly FakeLoggerProvider _logs = new();
    private readonly LoggerFactory _loggerFactory;

    protected PgValueTestBase(RedisServerFixture redis, PostgresFixture postgres)
    {
        Redis = redis;
        Database = postgres.NewDatabase();
        _loggerFactory = new LoggerFactory([_logs], new LoggerFilterOptions { MinLevel = LogLevel.Debug });
    }

    protected RedisServerFixture Redis { get; }

    protected PostgresTestDatabase Database { get; }

    /// <summary>Counts the database commands of cached contexts: none after a miss means every read was a hit.</summary>
    protected DatabaseCommandCounter Counter { get; } = new();

    public void Dispose()
    {
        Database.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the cache logged, one event a line: an assertion's message says why a read was not a hit.</summary>
    protected string Logs() => string.Join("\n", LogRecords().Select(r => r.Id.Name + ": " + r.Message));

    protected IReadOnlyList<FakeLogRecord> LogRecords() => _logs.Collector.GetSnapshot();

    protected static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    protected PgValueContext Uncached() => new(Options().Options);

    /// <param name="prefix">The key prefix.</param>
    /// <param name="localCacheMaxBytes">Rows kept in process; negative for the default.</param>
    protected PgValueContext Cached(string prefix, long localCacheMaxBytes) => new(Options()
        .UseRedisCacheAside(Redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
            o.LoggerFactory = _loggerFactory; // one factory for every context, so they share one registration
            if (localCacheMaxBytes >= 0)
            {
                o.LocalCacheMaxBytes = localCacheMaxBytes;
            }
        })
        .AddInterceptors(Counter)
        .Options);

    /// <summary>
    /// Reads <paramref name="read"/> uncached, cached twice without and with tracking, then through a fresh key prefix
    /// in a context that <paramref name="track"/> filled first, and from the entry that miss stored (all hits when
    /// <paramref name="trackedMissIsStored"/>).
    /// </summary>
    protected async Task AssertSameEverywhereAsync(Func<PgValueContext, bool, Task<List<string>>> read, Func<PgValueContext, Task> track, bool trackedMissIsStored = true)
    {
        string truth, trackedTruth;
        await using (var context = Uncached())
        {
            truth = await OutcomeAsync(() => read(NoTracking(context), false));
        }

        await using (var context = Uncached())
        {
            await OutcomeAsync(async () => { await track(context); return []; });
            trackedTruth = await OutcomeAsync(() => read(context, false));
        }

        var prefix = Redis.NewKeyPrefix();
        for (var round = 0; round < 2; round++)
        {
            await using (var context = Cached(prefix, localCacheMaxBytes: 0))
            {
                Assert.Equal(truth, await OutcomeAsync(() => read(NoTracking(context), true)));
            }

            await using (var context = Cached(prefix, localCacheMaxBytes: 0))
            {
                Assert.Equal(truth, await OutcomeAsync(() => read(context, true)));
            }
        }

        var trackedPrefix = Redis.NewKeyPrefix();
        await using (var context = Cached(trackedPrefix, localCacheMaxBytes: 0))
        {
            await OutcomeAsync(async () => { await track(context); return []; });
            Assert.Equal(trackedTruth, await OutcomeAsync(() => read(context, true)));
        }

        Counter.Reset();

        for (var round = 0; round < 2; round++)
        {
            await using (var context = Cached(trackedPrefix, localCacheMaxBytes: 0))
            {
                Assert.Equal(truth, await OutcomeAsync(() => read(NoTracking(context), true)));
            }

            await using (var context = Cached(trackedPrefix, localCacheMaxBytes: 0))
            {
                Assert.Equal(truth, await OutcomeAsync(() => read(context, true)));
            }
        }

        if (trackedMissIsStored)
        {
            Assert.True(0 == Counter.Queries, Logs()); // every read after the tracked miss was a hit
        }
    }

    protected static PgValueContext NoTracking(PgValueContext context)
    {
        context.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return context;
    }

    protected static async Task<string> OutcomeAsync(Func<Task<List<string>>> read)
    {
        try
        {
            return string.Join("\n", await read());
        }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or InvalidOperationException)
        {
            return $"throws {ex.GetType().Name}";
        }
    }

    protected static async Task<List<string>> Read<T>(IQueryable<T> query, bool cacheable, Func<T, string> describe)
        => (await (cacheable ? query.Cacheable() : query).ToListAsync()).Select(describe).ToList();

    private DbContextOptionsBuilder<PgValueContext> Options()
        => new DbContextOptionsBuilder<PgValueContext>().UseNpgsql(Database.ConnectionString, o => o.MapEnum<PgMood>("pg_mood"));
}
