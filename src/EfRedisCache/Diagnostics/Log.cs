using Microsoft.Extensions.Logging;

namespace EfRedisCache.Diagnostics;

/// <summary>
/// Every message the cache logs. Event ids are stable (a public contract once shipped): 1000–1099 read path,
/// 1100–1199 write path, 1200–1299 configuration. Messages never carry SQL, parameter values or cache keys.
/// </summary>
internal static partial class Log
{
    public const string CategoryName = "EfRedisCache";

    [LoggerMessage(EventId = 1000, EventName = "RedisNotConnected", Level = LogLevel.Debug,
        Message = "Redis is not connected; the query runs against the database uncached.")]
    public static partial void RedisNotConnected(ILogger logger);

    [LoggerMessage(EventId = 1001, EventName = "LookupFailed", Level = LogLevel.Warning,
        Message = "Reading the cache failed; the query runs against the database. If it repeats, check that Redis is reachable and answers within RedisTimeout: after CircuitBreakerFailureThreshold failures in a row the cache is skipped for CircuitBreakerBreakDuration.")]
    public static partial void LookupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1016, EventName = "RedisUnreachable", Level = LogLevel.Warning,
        Message = "Redis at {Endpoints} is not connected; queries run against the database, uncached, until it is. Check that {Origin} names the right host and port and that Redis is reachable from here. Logged once per cache registration until Redis answers again; later queries at Debug as event 1000.")]
    public static partial void RedisUnreachable(ILogger logger, string endpoints, string origin);

    [LoggerMessage(EventId = 1010, EventName = "SlotMigrating", Level = LogLevel.Debug,
        Message = "The key prefix's hash slot is moving to another Redis Cluster node (a resharding); the query runs against the database, and caching resumes once the move ends.")]
    public static partial void SlotMigrating(ILogger logger);

    [LoggerMessage(EventId = 1007, EventName = "SynchronousWaitOnThreadPool", Level = LogLevel.Warning,
        Message = "A synchronous query on a thread-pool thread waited {BudgetMilliseconds} ms for Redis and used the database. If Redis itself is healthy, the thread pool is the likely cause: Redis replies are read on pool threads, and synchronous queries block them (the pool's minimum is {MinThreads} threads). Use async queries, or raise ThreadPool.SetMinThreads above the number of synchronous queries that run at once. Logged once per cache registration.")]
    public static partial void SynchronousWaitOnThreadPool(ILogger logger, long budgetMilliseconds, int minThreads);

    [LoggerMessage(EventId = 1008, EventName = "RedisServerChanged", Level = LogLevel.Warning,
        Message = "Redis answers from another server process than the one the cache's versions were last confirmed on (a restart, or a failover to a replica); writes it acknowledged may be lost, so every cached entry under this key prefix was invalidated.")]
    public static partial void RedisServerChanged(ILogger logger);

    [LoggerMessage(EventId = 1009, EventName = "FailoverCheckUnavailable", Level = LogLevel.Warning,
        Message = "The cache cannot tell which Redis server process answers (the server refuses INFO in scripts, or names no run_id), so after a restart or failover that lost writes it may serve entries from before them until they expire. Allow the INFO command to enable the check. Logged once per cache registration.")]
    public static partial void FailoverCheckUnavailable(ILogger logger);

    [LoggerMessage(EventId = 1002, EventName = "UnreadableEntry", Level = LogLevel.Warning,
        Message = "A cache entry could not be read ({Reason}); it was deleted and the query runs against the database.")]
    public static partial void UnreadableEntry(ILogger logger, string reason);

    [LoggerMessage(EventId = 1003, EventName = "EntryNotStored", Level = LogLevel.Debug,
        Message = "A query result was not cached: {Reason}.")]
    public static partial void EntryNotStored(ILogger logger, string reason);

    [LoggerMessage(EventId = 1004, EventName = "StoreFailed", Level = LogLevel.Warning,
        Message = "Storing a query result in the cache failed; the query's rows were returned and will be read from the database next time. If it repeats, check that Redis is reachable, accepts writes and answers within RedisTimeout.")]
    public static partial void StoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1015, EventName = "EntryLargerThanServerAccepts", Level = LogLevel.Warning,
        Message = "Redis refused to store a query result of {PayloadBytes} bytes as longer than its proto-max-bulk-len, and closed the connection. This process stores no result that large from now on; set MaxEntryBytes below the server's proto-max-bulk-len.")]
    public static partial void EntryLargerThanServerAccepts(ILogger logger, int payloadBytes);

    [LoggerMessage(EventId = 1005, EventName = "QueryNotCacheable", Level = LogLevel.Debug,
        Message = "A query asked to be cached is not: {Reason}.")]
    public static partial void QueryNotCacheable(ILogger logger, string reason);

    // 1100 (InvalidationFailed) is retired: a failed invalidation is kept and replayed (1101), never given up. Ids are
    // not reused, so a filter or alert written for one never matches another message.

    [LoggerMessage(EventId = 1101, EventName = "InvalidationDeferred", Level = LogLevel.Warning,
        Message = "An invalidation could not reach Redis; this process bypasses the cache until it is delivered.")]
    public static partial void InvalidationDeferred(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 1102, EventName = "PendingInvalidationsDelivered", Level = LogLevel.Information,
        Message = "{KeyCount} pending invalidation(s) reached Redis; the cache is trusted again.")]
    public static partial void PendingInvalidationsDelivered(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 1011, EventName = "CommandRewrittenAfterCache", Level = LogLevel.Warning,
        Message = "An interceptor registered after UseRedisCacheAside changed a cached query's SQL or parameters after the cache had keyed it: such queries are neither served from nor stored in the cache. Register command-rewriting interceptors before UseRedisCacheAside. (Logged once per registration; later ones at Debug as event 1012.)")]
    public static partial void CommandRewrittenAfterCache(ILogger logger);

    [LoggerMessage(EventId = 1012, EventName = "CommandRewrittenAfterCacheAgain", Level = LogLevel.Debug,
        Message = "An interceptor after the cache changed a cached query's command: it went to the database.")]
    public static partial void CommandRewrittenAfterCacheAgain(ILogger logger);

    [LoggerMessage(EventId = 1013, EventName = "CommandAnsweredAfterCache", Level = LogLevel.Warning,
        Message = "A cached query's miss was answered with a reader that is not the database provider's, so its rows were not stored in the cache: an interceptor registered after UseRedisCacheAside answered the query itself (SuppressWithResult), or one registered before it wrapped the provider's reader (decryption, masking). Register interceptors that answer queries before UseRedisCacheAside and interceptors that wrap readers after it, or mark those queries NotCacheable(). (Logged once per registration; later ones at Debug as event 1014.)")]
    public static partial void CommandAnsweredAfterCache(ILogger logger);

    [LoggerMessage(EventId = 1014, EventName = "CommandAnsweredAfterCacheAgain", Level = LogLevel.Debug,
        Message = "A cached query's miss was answered with a reader that is not the database provider's: its rows were not stored.")]
    public static partial void CommandAnsweredAfterCacheAgain(ILogger logger);

    [LoggerMessage(EventId = 1006, EventName = "CacheBypassedPendingInvalidations", Level = LogLevel.Debug,
        Message = "The cache is bypassed: invalidations are waiting to reach Redis.")]
    public static partial void CacheBypassedPendingInvalidations(ILogger logger);

    [LoggerMessage(EventId = 1201, EventName = "EntityRuleMatchesNoEntity", Level = LogLevel.Warning,
        Message = "{Rule}<{EntityType}>() names a type that the model of {ContextType} does not map, nor any type derived from it: the rule has no effect on that context's queries. Name the entity type the model maps (not a DTO or view model). (Logged once per model and rule.)")]
    public static partial void EntityRuleMatchesNoEntity(ILogger logger, string rule, string entityType, string contextType);

    [LoggerMessage(EventId = 1200, EventName = "ManyRegistrations", Level = LogLevel.Warning,
        Message = "{Count} cache registrations with different settings use key prefix '{KeyPrefix}' on one Redis connection, and each keeps its own runtime (circuit breaker, kept rows) for the life of the process. A configuration callback that creates a new LoggerFactory or TimeProvider on every call makes one per context: pass the same instances.")]
    public static partial void ManyRegistrations(ILogger logger, int count, string keyPrefix);

    [LoggerMessage(EventId = 1202, EventName = "ManyRedisConnections", Level = LogLevel.Warning,
        Message = "Another {Count} Redis connections to {Endpoints} have been made from different configuration strings, and each stays open (a multiplexer and its sockets) for the life of the process: the cache cannot close one that a context may still use. A configuration string that changes (a password or token in it, a string built per context) opens one per value: build the string once per process, or give UseRedisCacheAside an IConnectionMultiplexer that the application owns. (Logged at every tenth such connection.)")]
    public static partial void ManyRedisConnections(ILogger logger, int count, string endpoints);
}
