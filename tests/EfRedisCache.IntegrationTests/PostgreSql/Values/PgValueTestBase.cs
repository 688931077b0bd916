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

    private DbContextOptionsBuilder<PgValueContext> Options()
        => new DbContextOptionsBuilder<PgValueContext>().UseNpgsql(Database.ConnectionString, o => o.MapEnum<PgMood>("pg_mood"));
}
