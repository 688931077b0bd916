using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// Where the servers are (bench.sh starts them and exports the variables) and the one shared Redis
/// connection every variant uses, so no variant pays for a connection the others do not.
/// </summary>
public static class BenchEnvironment
{
    private static readonly Lazy<ConnectionMultiplexer> SharedRedis = new(() => ConnectionMultiplexer.Connect(RedisConfiguration));

    public static string RedisConfiguration => Require("EFRC_BENCH_REDIS") + ",abortConnect=false,allowAdmin=true";

    public static string PostgresConnectionString => Require("EFRC_BENCH_PG");

    public static string SqlitePath => Path.Combine(Require("EFRC_BENCH_DIR"), "bench.db");

    public static ConnectionMultiplexer Redis => SharedRedis.Value;

    public static DbContextOptions<BenchContext> Sqlite(Action<DbContextOptionsBuilder<BenchContext>>? configure = null)
    {
        var builder = new DbContextOptionsBuilder<BenchContext>().UseSqlite($"Data Source={SqlitePath}");
        configure?.Invoke(builder);
        return builder.Options;
    }

    public static DbContextOptions<BenchContext> Postgres(Action<DbContextOptionsBuilder<BenchContext>>? configure = null)
    {
        var builder = new DbContextOptionsBuilder<BenchContext>().UseNpgsql(PostgresConnectionString);
        configure?.Invoke(builder);
        return builder.Options;
    }

    /// <summary>
    /// Cache-aside options for the EfRedisCache variants: a long TTL so no entry expires (or refreshes early)
    /// while measured. <paramref name="keepLocally"/> false sets <see cref="RedisCacheAsideOptions.LocalCacheMaxBytes"/>
    /// to 0, so every hit reads its rows from Redis and decodes them (the path of a process's first hit on an entry); <paramref name="cacheAllQueries"/> sets
    /// <see cref="RedisCacheAsideOptions.CacheAllQueries"/>.
    /// </summary>
    public static void CacheAside(DbContextOptionsBuilder<BenchContext> builder, string keyPrefix = "efrc", TimeSpan? ttl = null, bool keepLocally = true, bool cacheAllQueries = false)
        => builder.UseRedisCacheAside(Redis, o =>
        {
            o.KeyPrefix = keyPrefix;
            o.CacheAllQueries = cacheAllQueries;
            o.DefaultTtl = ttl ?? TimeSpan.FromHours(1);
            if (!keepLocally)
            {
                o.LocalCacheMaxBytes = 0;
            }
        });

    /// <summary>Drops and fills both databases with <see cref="SeedData"/>; run once before any measurement.</summary>
    public static void Seed()
    {
        foreach (var options in new[] { Sqlite(), Postgres() })
        {
            using var db = new BenchContext(options);
            db.Database.EnsureDeleted();
            db.Database.EnsureCreated();
            if (db.Database.IsSqlite())
            {
                db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
            }

            db.Categories.AddRange(SeedData.Build());
            db.SaveChanges();
        }

        Redis.GetServers()[0].FlushAllDatabases();
    }

    private static string Require(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the benchmarks through tests/EfRedisCache.Benchmarks/bench.sh, which starts Redis and PostgreSQL.");
}
