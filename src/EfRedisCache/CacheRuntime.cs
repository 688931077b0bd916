using System.Runtime.CompilerServices;
using EfRedisCache.Configuration;
using EfRedisCache.Diagnostics;
using EfRedisCache.Interception;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using EfRedisCache.Local;
using EfRedisCache.Metadata;
using EfRedisCache.Redis;
using EfRedisCache.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EfRedisCache;

/// <summary>
/// Everything one cache registration shares across its contexts: settings, the Redis connection, key names,
/// the interceptor instances, and per-context state. Made once per (Redis, settings) by
/// <see cref="CacheRuntimeRegistry"/>.
/// </summary>
internal sealed class CacheRuntime
{
    private readonly ConditionalWeakTable<DbContext, ContextCacheState> _contextStates = [];
    private bool _maybeSuperseded;
    private int _rewriteLogged;
    private int _answerLogged;
    private int _unreachableSaid;
    private readonly ConditionalWeakTable<ILoggerFactory, ILogger> _loggers = [];
    private readonly ConditionalWeakTable<DbContext, ILogger> _contextLoggers = [];
    private readonly ConditionalWeakTable<DbContext, ILogger>.CreateValueCallback _createContextLogger;
    private readonly ILogger? _settingsLogger;
    private readonly ConditionalWeakTable<IModel, IReadOnlyDictionary<string, EntityCacheRule>> _tableRules = [];
    private readonly RegistrationCount _registrations;

    public CacheRuntime(CacheSettings settings, RedisConnection connection, RegistrationCount registrations)
    {
        Settings = settings;
        _registrations = registrations;
        Connection = connection;
        _createContextLogger = CreateContextLogger;
        _settingsLogger = settings.LoggerFactory is { } loggerFactory ? new NonThrowingLogger(loggerFactory.CreateLogger(Log.CategoryName)) : null;
        Redis = new RedisAccess(
            connection,
            new CircuitBreaker(settings.CircuitBreakerFailureThreshold, settings.CircuitBreakerBreakDuration, settings.TimeProvider),
            settings.RedisTimeout);
        Keys = new RedisKeyNames(settings.KeyPrefix);
        PendingInvalidations = PendingInvalidationsRegistry.For(connection, Keys.GlobalEpoch, Redis, settings.TimeProvider);
        StarvationHint = new ThreadPoolStarvationHint(settings.RedisTimeout);
        Failover = new FailoverGuard(connection, Keys);
        Flights = new SingleFlight(settings.StampedeWaitTimeout);
        LocalResults = new LocalResultCache(settings.LocalCacheMaxBytes, settings.TimeProvider);
        Publisher = new InvalidationPublisher(this);
        Interceptors =
        [
            new CachingCommandInterceptor(this),
            new InvalidatingSaveChangesInterceptor(this),
            new TransactionInvalidationInterceptor(this),
        ];
    }

    public CacheSettings Settings { get; }

    public RedisConnection Connection { get; }

    public RedisKeyNames Keys { get; }

    /// <summary>The gate of every Redis call on the request path: breaker, connection state, time budget.</summary>
    public RedisAccess Redis { get; }

    /// <summary>Shared with every registration on the same connection and key prefix (<see cref="PendingInvalidationsRegistry"/>).</summary>
    public PendingInvalidations PendingInvalidations { get; }

    /// <summary>Checks, before entries are trusted, that Redis answers from the process their versions were confirmed on.</summary>
    public FailoverGuard Failover { get; }

    /// <summary>Says once when synchronous queries time out on pool threads (README "Limits").</summary>
    public ThreadPoolStarvationHint StarvationHint { get; }

    public SingleFlight Flights { get; }

    /// <summary>Decoded results kept beside Redis (<see cref="RedisCacheAsideOptions.LocalCacheMaxBytes"/>).</summary>
    public LocalResultCache LocalResults { get; }

    /// <summary>The process-wide registry of transactions' deferred invalidations (shared by every registration).</summary>
    public TransactionInvalidations Transactions { get; } = TransactionInvalidations.Process;

    /// <summary>The process-wide registry of transactions begun with raw SQL, which EF Core does not see.</summary>
    public RawSqlTransactions RawSqlTransactions { get; } = RawSqlTransactions.Process;

    public InvalidationPublisher Publisher { get; }

    public IInterceptor[] Interceptors { get; }

    /// <summary>Registered beside <see cref="Interceptors"/> where the provider may enlist (<see cref="EnlistmentInterceptor.IsNeeded"/>).</summary>
    public EnlistmentInterceptor Enlistment { get; } = new();

    /// <summary>
    /// False when <paramref name="context"/>'s options name another runtime: a later <c>UseRedisCacheAside</c>
    /// on the same builder replaced this one, whose interceptors EF Core cannot remove. Costs nothing until
    /// some builder replaced this runtime.
    /// </summary>
    public bool IsActiveFor(DbContext? context)
        => !Volatile.Read(ref _maybeSuperseded)
            || context is null
            || ReferenceEquals(context.GetService<IDbContextOptions>().FindExtension<RedisCacheAsideOptionsExtension>()?.Runtime, this);

    public void MarkMaybeSuperseded() => Volatile.Write(ref _maybeSuperseded, true);

    /// <summary>
    /// An interceptor registered after the cache changed a cached query's command (<see cref="Keys.KeyedCommand"/>):
    /// counted, and said at Warning once per registration, with the remedy; at Debug after that.
    /// </summary>
    public void OnCommandRewritten(DbContext? context)
    {
        CacheMetrics.RewrittenCommands.Add(1);
        SayOnceThenAtDebug(ref _rewriteLogged, LoggerFor(context), Log.CommandRewrittenAfterCache, Log.CommandRewrittenAfterCacheAgain);
    }

    /// <summary>
    /// An interceptor registered after the cache answered a miss itself (<see cref="MissStore"/>): its rows were not
    /// stored; counted as a store skip, and said at Warning once per registration, with the remedy; at Debug after that.
    /// </summary>
    public void OnCommandAnswered(DbContext? context)
    {
        CacheMetrics.StoreSkips.Add(1);
        SayOnceThenAtDebug(ref _answerLogged, LoggerFor(context), Log.CommandAnsweredAfterCache, Log.CommandAnsweredAfterCacheAgain);
    }

    /// <summary>
    /// A query found Redis not connected: said at Warning once per outage, since it is the only sign of a wrong address
    /// (queries keep working, and nothing is counted); at Debug after that. A breaker open on a connected Redis was
    /// said already, by the failures that opened it.
    /// </summary>
    public void OnRedisNotConnected(DbContext? context)
    {
        var logger = LoggerFor(context);
        if (!Connection.IsConnected && Interlocked.Exchange(ref _unreachableSaid, 1) == 0)
        {
            Log.RedisUnreachable(logger, Connection.Endpoints, Connection.Origin);
            return;
        }

        Log.RedisNotConnected(logger);
    }

    /// <summary>A query reached Redis: the next time it is not connected is another outage, said again.</summary>
    public void OnRedisConnected()
    {
        if (Volatile.Read(ref _unreachableSaid) != 0)
        {
            Volatile.Write(ref _unreachableSaid, 0);
        }
    }

    /// <summary>
    /// Says what could not be said when this runtime's registration was made, for lack of a logger: that a
    /// configuration callback makes new settings per call (<see cref="CacheRuntimeRegistry"/>, event 1200). Once per
    /// connection and key start, through the first context that reads or saves after it; costs a volatile read until then.
    /// </summary>
    public void SayUnsaidWarnings(DbContext? context)
    {
        if (!_registrations.HasUnsaid || context is null)
        {
            return;
        }

        var unsaid = _registrations.TakeUnsaid();
        if (unsaid.HasFlag(UnsaidWarnings.ManyRegistrations))
        {
            Log.ManyRegistrations(LoggerFor(context), CacheRuntimeRegistry.ManyRegistrations, Settings.KeyPrefix);
        }

        if (unsaid.HasFlag(UnsaidWarnings.ManyRedisConnections))
        {
            Log.ManyRedisConnections(LoggerFor(context), RedisConnectionRegistry.ManyConnectionsAlike, Connection.Endpoints);
        }
    }

    private static void SayOnceThenAtDebug(ref int said, ILogger logger, Action<ILogger> first, Action<ILogger> later)
        => (Interlocked.Exchange(ref said, 1) == 0 ? first : later)(logger);

    public ContextCacheState StateOf(DbContext context) => _contextStates.GetValue(context, static _ => new ContextCacheState());

    /// <summary>
    /// The per-entity rules as rules on the entities' tables (lower case), for <paramref name="context"/>'s model. Where
    /// two rules meet on one table (TPH, table splitting), <c>NeverCache</c> wins, then the shorter TTL.
    /// </summary>
    public IReadOnlyDictionary<string, EntityCacheRule> TableRulesFor(DbContext context)
    {
        if (Settings.EntityRules.Count == 0)
        {
            return EmptyRules;
        }

        // Asked on every query planned: the lookup of known rules captures nothing, so it allocates nothing.
        return _tableRules.TryGetValue(context.Model, out var known) ? known : BuildTableRules(context);
    }

    /// <summary>
    /// Once per model. Under a lock, not in <see cref="ConditionalWeakTable{TKey, TValue}.GetValue"/>'s callback, which
    /// runs once per caller that raced to it: a model's first queries arrive together, and each said the warning.
    /// </summary>
    private IReadOnlyDictionary<string, EntityCacheRule> BuildTableRules(DbContext context)
    {
        var model = context.Model;
        lock (_tableRules)
        {
            if (_tableRules.TryGetValue(model, out var known))
            {
                return known;
            }

            var info = ModelCacheInfo.For(model);
            var rules = new Dictionary<string, EntityCacheRule>(StringComparer.Ordinal);
            foreach (var (clrType, rule) in Settings.EntityRules)
            {
                var tables = info.TablesOf(model, clrType);
                if (tables.Length == 0)
                {
                    // A DTO taken for the entity, or another context's entity: the rule does nothing here, and a
                    // NeverCache meant to keep data live would let CacheAllQueries cache it. One configuration may
                    // serve several context types, so this is said rather than refused.
                    Log.EntityRuleMatchesNoEntity(LoggerFor(context), rule.Cache ? "CacheEntity" : "NeverCache", clrType.FullName ?? clrType.Name, context.GetType().Name);
                }

                foreach (var table in tables)
                {
                    rules[table] = rules.TryGetValue(table, out var existing) ? Stricter(existing, rule) : rule;
                }
            }

            _tableRules.Add(model, rules);
            return rules;
        }
    }

    private static readonly Dictionary<string, EntityCacheRule> EmptyRules = [];

    private static EntityCacheRule Stricter(EntityCacheRule a, EntityCacheRule b)
    {
        if (!a.Cache || !b.Cache)
        {
            return new EntityCacheRule(Cache: false, Ttl: null);
        }

        return a.Ttl is { } x && (b.Ttl is not { } y || x < y) ? a : b;
    }

    /// <summary>
    /// The configured logger factory's logger, else the context's (the application's when registered through
    /// DI), resolved once per context; wrapped so that it never throws (<see cref="NonThrowingLogger"/>). Callers ask
    /// only where they log (a hit asks nothing): resolving costs a service lookup and a weak-table entry per context,
    /// and applications create a context per request.
    /// </summary>
    public ILogger LoggerFor(DbContext? context)
    {
        if (_settingsLogger is { } configured)
        {
            return configured;
        }

        return context is null ? NullLogger.Instance : _contextLoggers.GetValue(context, _createContextLogger);
    }

    private ILogger CreateContextLogger(DbContext context)
    {
        ILoggerFactory? factory;
        try
        {
            factory = context.GetService<ILoggerFactory>();
        }
        catch (InvalidOperationException)
        {
            factory = null;
        }

        return factory is null
            ? NullLogger.Instance
            : _loggers.GetValue(factory, static f => new NonThrowingLogger(f.CreateLogger(Log.CategoryName)));
    }
}
