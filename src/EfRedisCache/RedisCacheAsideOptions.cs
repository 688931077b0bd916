using Microsoft.Extensions.Logging;

namespace EfRedisCache;

/// <summary>
/// Settings of the Redis cache-aside layer. Configure them in the callback of
/// <see cref="RedisCacheAsideDbContextOptionsBuilderExtensions.UseRedisCacheAside(Microsoft.EntityFrameworkCore.DbContextOptionsBuilder, string, Action{RedisCacheAsideOptions}?)"/>;
/// they are validated there, and a bad value throws at configuration time.
/// </summary>
public sealed class RedisCacheAsideOptions
{
    private readonly Dictionary<Type, EntityCacheRule> _entityRules = [];

    /// <summary>How long a cached query lives when the query does not say.</summary>
    /// <value>The default value is 5 minutes. Between 1 millisecond and 365 days.</value>
    public TimeSpan DefaultTtl { get; set; } = CacheDefaults.DefaultTtl;

    /// <summary>
    /// The prefix of every Redis key the cache writes, so several applications can share one Redis. Keys start
    /// with it in braces, <c>{efrc}:…</c>: a Redis Cluster hash tag, which keeps an entry and the versions it
    /// depends on in one slot. A prefix that already holds a hash tag, such as <c>app:{cache}</c>, is used as it is.
    /// </summary>
    /// <value>The default value is <c>efrc</c>. 1 to 64 characters, no white space; braces only as a hash tag.</value>
    public string KeyPrefix { get; set; } = CacheDefaults.KeyPrefix;

    /// <summary>
    /// Caches every LINQ query of the context, with no change to the queries. <c>NotCacheable()</c> and
    /// <see cref="NeverCache{TEntity}"/> still opt out. Raw SQL (<c>FromSql</c>, <c>SqlQuery</c>) is cached only when
    /// marked <c>Cacheable()</c>: it may call a function run for its effect, which a hit would skip.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: only queries marked <c>Cacheable()</c> are cached.</value>
    public bool CacheAllQueries { get; set; }

    /// <summary>
    /// The longest a query waits for Redis before it goes to the database instead. Applies to every command on
    /// the request path, and, with a configuration string, to the connection attempt (a multiplexer the
    /// application gives connects on its own terms).
    /// </summary>
    /// <value>The default value is 500 milliseconds. Between 1 millisecond and 30 seconds.</value>
    public TimeSpan RedisTimeout { get; set; } = CacheDefaults.RedisTimeout;

    /// <summary>The largest serialized result that is stored. Larger results are returned to the caller but not cached.</summary>
    /// <value>The default value is 8 MiB. Between 1 KiB and 512 MiB.</value>
    public int MaxEntryBytes { get; set; } = CacheDefaults.MaxEntryBytes;

    /// <summary>
    /// How much memory this registration may spend keeping decoded results beside Redis: registrations with equal
    /// settings share one budget, and each other set of settings (a key prefix per tenant, another context type's rules)
    /// has a budget of its own in the same process. A hit on a kept result still
    /// costs one Redis round trip — it reads the versions the result depends on, so a write from any process is
    /// seen at once, exactly as for a result read from Redis — but the rows are neither transferred nor decoded
    /// again. Counted as the memory decoding a result allocated; the least recently used results go first.
    /// </summary>
    /// <value>The default value is 64 MiB. Between 0 (keep nothing: every hit reads its rows from Redis) and 64 GiB.</value>
    public long LocalCacheMaxBytes { get; set; } = CacheDefaults.LocalCacheMaxBytes;

    /// <summary>How many Redis failures in a row open the circuit breaker, after which queries skip Redis without waiting.</summary>
    /// <value>The default value is 3. Between 1 and 1000.</value>
    public int CircuitBreakerFailureThreshold { get; set; } = CacheDefaults.CircuitBreakerFailureThreshold;

    /// <summary>How long the circuit breaker stays open before one call probes Redis again.</summary>
    /// <value>The default value is 5 seconds. Between 10 milliseconds and 10 minutes.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = CacheDefaults.CircuitBreakerBreakDuration;

    /// <summary>
    /// One database query per stampede: concurrent misses on one entry wait for a single caller's result, in
    /// this process and, through a Redis lock, across processes.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool StampedeProtection { get; set; } = true;

    /// <summary>The longest a miss waits for another caller computing the same entry before it queries the database itself. Also the lifetime of the Redis lock.</summary>
    /// <value>The default value is 5 seconds. Between 10 milliseconds and 5 minutes.</value>
    public TimeSpan StampedeWaitTimeout { get; set; } = CacheDefaults.StampedeWaitTimeout;

    /// <summary>
    /// Refreshes hot entries shortly before they expire (probabilistic early expiration, XFetch), so a popular
    /// query does not expire under load and send every caller to the database at once.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EarlyRefresh { get; set; } = true;

    /// <summary>
    /// Versions primary-key lookups (<c>Find</c>, <c>First/Single(OrDefault)</c> on the key) per row: saving
    /// row 7 leaves the cached lookup of row 8 alive. Applies to tables keyed by one integer column. Saves bump
    /// row versions whatever this says, so registrations with different settings over one database stay
    /// correct; it decides whether this registration's key lookups depend on them.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RowLevelInvalidation { get; set; } = true;

    /// <summary>
    /// The clock of the circuit breaker, early refresh, the replay of deferred invalidations and the expiry of rows kept in
    /// process; tests replace it. An entry's TTL runs on Redis's clock (Redis expires the entry), so moving this clock
    /// past a TTL does not end the entry: later reads are still hits (one of them may renew it from the database first,
    /// as an early refresh).
    /// </summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the cache logs misses it could not store, Redis faults and unreadable entries. The warning that a
    /// configuration callback makes new settings on every call (event 1200, <c>ManyRegistrations</c>) comes when the
    /// registration is made, before any context exists: without this factory it waits for the first context that reads
    /// or saves through the cache, and is said through that context's.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the logger factory of the <c>DbContext</c> is used.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal IReadOnlyDictionary<Type, EntityCacheRule> EntityRules => _entityRules;

    /// <summary>
    /// Caches every LINQ query that reads <typeparamref name="TEntity"/>'s tables, even without <c>Cacheable()</c>
    /// (raw SQL only when marked, as for <see cref="CacheAllQueries"/>).
    /// Called again for the same type, the last TTL applies; a <see cref="NeverCache{TEntity}"/> of the same type,
    /// before or after, wins.
    /// </summary>
    /// <typeparam name="TEntity">An entity type of the context's model (a type it maps, or a base of such types).</typeparam>
    /// <param name="ttl">The time to live of such queries, also of their <c>Cacheable()</c> without a TTL; <see langword="null"/> for <see cref="DefaultTtl"/>; 1 millisecond to 365 days.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is shorter than 1 millisecond or longer than 365 days.</exception>
    public RedisCacheAsideOptions CacheEntity<TEntity>(TimeSpan? ttl = null)
        where TEntity : class
    {
        if (ttl is { } value)
        {
            CacheSettingsValidator.ValidateTtl(value, nameof(ttl));
        }

        // NeverCache promises "whatever else says so": a later CacheEntity (a second configuration source bound
        // after the code's) must not turn caching back on for data that has to be read live.
        if (_entityRules.TryGetValue(typeof(TEntity), out var existing) && !existing.Cache)
        {
            return this;
        }

        _entityRules[typeof(TEntity)] = new EntityCacheRule(Cache: true, ttl);
        return this;
    }

    /// <summary>
    /// Never caches a query that reads <typeparamref name="TEntity"/>'s tables, whatever else says so
    /// (<c>Cacheable()</c>, <see cref="CacheAllQueries"/>, <see cref="CacheEntity{TEntity}"/> of the same type, called
    /// before or after). For data that must always be read live.
    /// </summary>
    /// <typeparam name="TEntity">An entity type of the context's model (a type it maps, or a base of such types).</typeparam>
    /// <returns>These options, for chaining.</returns>
    public RedisCacheAsideOptions NeverCache<TEntity>()
        where TEntity : class
    {
        _entityRules[typeof(TEntity)] = new EntityCacheRule(Cache: false, Ttl: null);
        return this;
    }
}
