using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A seeded shop database (SQLite unless given another) behind the cache, with a key prefix of its own so tests never share
/// entries, and a counter of the queries that reached the database.
/// </summary>
public sealed class ShopHarness : IDisposable
{
    private readonly Action<RedisCacheAsideOptions>? _configure;
    private readonly IConnectionMultiplexer _redis;

    public ShopHarness(RedisServerFixture redis, Action<RedisCacheAsideOptions>? configure = null, IConnectionMultiplexer? connection = null, ITestDatabase? database = null, bool seed = true)
        : this(connection ?? redis.Connection, redis.NewKeyPrefix(), configure, database, seed)
    {
    }

    /// <summary>A shop whose cache uses <paramref name="redis"/> (a cluster, say) under <paramref name="keyPrefix"/>.</summary>
    public ShopHarness(IConnectionMultiplexer redis, string keyPrefix, Action<RedisCacheAsideOptions>? configure = null, ITestDatabase? database = null, bool seed = true)
    {
        _redis = redis;
        KeyPrefix = keyPrefix;
        _configure = configure;
        Database = database ?? new SqliteTestDatabase();
        if (seed)
        {
            using var context = NewUncachedContext();
            context.Database.EnsureCreated();
            ShopSeed.Seed(context);
        }
    }

    /// <summary>
    /// The Redis budget every cache the tests build starts with: a hit a test counts on must not turn into a miss
    /// because a loaded two-core machine held Redis's reply past the 500 ms default (the cache then fails open, as
    /// it should). Tests of the budget set their own, after it.
    /// </summary>
    public static readonly TimeSpan RoomyBudget = TimeSpan.FromSeconds(3);

    public ITestDatabase Database { get; }

    public string KeyPrefix { get; }

    public DatabaseCommandCounter Counter { get; } = new();

    /// <summary>Options for a cached context; the same settings every time, so EF Core reuses its service provider.</summary>
    public DbContextOptions<ShopContext> CachedOptions(IConnectionMultiplexer? connection = null)
        => (DbContextOptions<ShopContext>)ConfigureCached(new DbContextOptionsBuilder<ShopContext>(), connection).Options;

    /// <summary>What <see cref="CachedOptions"/> configures, on a builder made elsewhere (dependency injection, pooling).</summary>
    public DbContextOptionsBuilder ConfigureCached(DbContextOptionsBuilder builder, IConnectionMultiplexer? connection = null)
        => Database.Use(builder)
            .UseRedisCacheAside(connection ?? _redis, o =>
            {
                o.KeyPrefix = KeyPrefix;

                o.RedisTimeout = RoomyBudget;
                _configure?.Invoke(o);
            })
            .AddInterceptors(Counter);

    public ShopContext NewContext(IConnectionMultiplexer? connection = null) => new(CachedOptions(connection));

    /// <summary>The truth: a context with no cache at all.</summary>
    public ShopContext NewUncachedContext() => new(Database.CreateOptions<ShopContext>());

    public void Dispose() => Database.Dispose();
}
