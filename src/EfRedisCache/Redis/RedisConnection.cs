using System.Net;
using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The cache's handle on Redis: either a multiplexer the application owns, or one shared per configuration
/// string (see <see cref="RedisConnectionRegistry"/>). A query asks <see cref="TryGetDatabase(out IDatabase)"/> and, when
/// Redis is not connected, goes to the database at once instead of waiting in a backlog.
/// </summary>
/// <remarks>
/// A configuration string's multiplexer is made by the first caller, asynchronously:
/// made synchronously, the first async query held its thread for the whole connect timeout when Redis was slow or
/// hung, and every other first query behind it (<c>Resilience/FirstConnectTests</c>). Until the connect ends,
/// <see cref="TryGetDatabase(out IDatabase)"/> answers false at once, and <see cref="TryGetDatabase(out IDatabase, out Task{IConnectionMultiplexer})"/> hands out the connect to wait for.
/// </remarks>
internal sealed class RedisConnection
{
    private const long ReconfigureIntervalMilliseconds = 1000;
    private int _manyAlike;

    private readonly Func<Task<IConnectionMultiplexer?>>? _connect;

    // Set once the first connect has made the multiplexer (and subscribed to it): the one field a hit reads.
    private IConnectionMultiplexer? _multiplexer;
    private Task<IConnectionMultiplexer?>? _connecting;
    private long _lastReconfigure = -ReconfigureIntervalMilliseconds;

    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        Endpoints = EndpointsText(multiplexer.GetEndPoints());
        Origin = "the configuration of the IConnectionMultiplexer given to UseRedisCacheAside";
        Watch(multiplexer);
        _multiplexer = multiplexer;
        _connecting = Task.FromResult<IConnectionMultiplexer?>(multiplexer);
    }

    /// <param name="endpoints">The configured endpoints (<see cref="Endpoints"/>).</param>
    /// <param name="connect">Connects; null when the configuration is refused. Started once, by the first caller.</param>
    public RedisConnection(IEnumerable<EndPoint> endpoints, Func<Task<IConnectionMultiplexer?>> connect)
    {
        Endpoints = EndpointsText(endpoints);
        Origin = "the configuration string given to UseRedisCacheAside";
        _connect = connect;
    }

    /// <summary>The endpoints this connection was given, for messages: host and port only, so never a password.</summary>
    public string Endpoints { get; }

    /// <summary>
    /// Made from a configuration string as a <see cref="RedisConnectionRegistry.ManyConnectionsAlike"/>th connection to
    /// its endpoints (the 10th, the 20th…): the first runtime built on it warns (event 1202), once.
    /// </summary>
    public void MarkManyAlike() => Volatile.Write(ref _manyAlike, 1);

    /// <summary>True for the one caller that is to say that this connection is one of many alike.</summary>
    public bool TakeManyAlikeWarning() => Volatile.Read(ref _manyAlike) != 0 && Interlocked.Exchange(ref _manyAlike, 0) != 0;

    /// <summary>
    /// Where the application named <see cref="Endpoints"/>, for the advice of messages: an application that gave its own
    /// multiplexer gave no configuration string to the cache.
    /// </summary>
    public string Origin { get; }

    /// <summary>Whether the multiplexer exists and has a connected server; false also while the first connect runs.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer)?.IsConnected == true;

    /// <summary>
    /// An interactive connection to <see cref="EndPoint"/> failed or was restored: what answers there now may be
    /// another Redis process (a restarted or promoted one; see <see cref="Resilience.FailoverGuard"/>).
    /// </summary>
    public event Action<EndPoint>? ConnectionChanged;

    /// <summary>The multiplexer's view of the servers changed (a cluster's slots, a primary's role).</summary>
    public event Action? ConfigurationChanged;

    /// <summary>
    /// The server taken for the prefix's primary answered as something else: a read-only replica refused one of the
    /// cache's commands (the primary was demoted), or a cluster node answered MOVED (its slots were taken over).
    /// </summary>
    public event Action? WrongServer;

    /// <summary>A cluster's hash slot now lives on another node (StackExchange.Redis learnt it from a MOVED reply).</summary>
    public event Action<int, EndPoint>? HashSlotMoved;

    /// <summary>
    /// <see cref="TryGetDatabase(out IDatabase)"/>, and when it is false because the first connect still runs, that connect
    /// in <paramref name="firstConnect"/>: a caller may wait for it — asynchronously, within its budget — and ask again.
    /// Null once the connect has ended.
    /// </summary>
    public bool TryGetDatabase(out IDatabase database, out Task<IConnectionMultiplexer?>? firstConnect)
    {
        firstConnect = null;
        if (TryGetDatabase(out database))
        {
            return true;
        }

        if (Volatile.Read(ref _connecting) is { IsCompleted: false } connecting)
        {
            firstConnect = connecting;
            return false;
        }

        // The connect may have ended between the two reads; it publishes its multiplexer before it completes.
        return TryGetDatabase(out database);
    }

    /// <summary>
    /// The database when Redis is connected. Never waits: the first call starts the connect and, like every call while
    /// it runs, answers false.
    /// </summary>
    public bool TryGetDatabase(out IDatabase database)
    {
        // One field read before the multiplexer's own check: no more than the Lazy<> it replaced cost a hit.
        if (Volatile.Read(ref _multiplexer) is { } multiplexer)
        {
            if (multiplexer.IsConnected)
            {
                database = multiplexer.GetDatabase();
                return true;
            }
        }
        else if (Volatile.Read(ref _connecting) is null)
        {
            StartConnect();
        }

        database = null!;
        return false;
    }

    /// <summary>The primary that serves <paramref name="key"/> (on a cluster, the node of its slot); asked after <see cref="TryGetDatabase(out IDatabase)"/> succeeded.</summary>
    /// <exception cref="RedisException">No connected primary serves it.</exception>
    public IServer PrimaryFor(RedisKey key)
        => (Volatile.Read(ref _multiplexer) ?? throw new InvalidOperationException("Redis has no connection."))
            .GetServer(key, flags: CommandFlags.DemandMaster);

    /// <summary>The hash slot of <paramref name="key"/> on a cluster, -1 elsewhere.</summary>
    public int HashSlotOf(RedisKey key) => Volatile.Read(ref _multiplexer)?.HashSlot(key) ?? -1;

    /// <summary>
    /// Called when a command got READONLY or MOVED (<see cref="RedisCacheStore.IsWrongServer"/>). StackExchange.Redis
    /// does not look for a new primary on READONLY, only at its next configuration check (every 60 s by default),
    /// and until then sends every write, and the cache's reads, to the demoted server; so the cache asks it to
    /// look now, at most once a second.
    /// </summary>
    public void OnWrongServer()
    {
        WrongServer?.Invoke();
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastReconfigure);
        if (now - last < ReconfigureIntervalMilliseconds
            || Interlocked.CompareExchange(ref _lastReconfigure, now, last) != last
            || Volatile.Read(ref _multiplexer) is not { } multiplexer)
        {
            return;
        }

        _ = multiplexer.ConfigureAsync().ContinueWith(
            static t => _ = t.Exception, // best effort: the next refusal asks again
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static string EndpointsText(IEnumerable<EndPoint> endpoints)
        => string.Join(",", endpoints.Select(static e => e switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => e.ToString(),
        }));

    /// <summary>Starts the first connect once, off the caller's thread: the caller is a query that must not wait for it.</summary>
    private void StartConnect()
    {
        var connecting = new Task<Task<IConnectionMultiplexer?>>(ConnectAsync);
        if (Interlocked.CompareExchange(ref _connecting, connecting.Unwrap(), null) is null)
        {
            // Task.Run's way, by hand: the connect's synchronous start (resolving names, opening sockets) runs on the
            // pool, not on the query's thread, and a caller that lost the race started nothing.
            connecting.Start(TaskScheduler.Default);
        }
    }

    private async Task<IConnectionMultiplexer?> ConnectAsync()
    {
        var multiplexer = await _connect!().ConfigureAwait(false);
        if (multiplexer is not null)
        {
            // Subscribed before it is published, so no event after the first query saw it connected is missed; for the
            // multiplexer's lifetime, which is the cache registration's. Subscription connections carry no cache commands.
            Watch(multiplexer);
            Volatile.Write(ref _multiplexer, multiplexer);
        }

        return multiplexer;
    }

    private void Watch(IConnectionMultiplexer multiplexer)
    {
        multiplexer.ConnectionFailed += (_, e) => OnConnectionChanged(e);
        multiplexer.ConnectionRestored += (_, e) => OnConnectionChanged(e);
        multiplexer.ConfigurationChanged += (_, _) => ConfigurationChanged?.Invoke();
        multiplexer.HashSlotMoved += (_, e) => HashSlotMoved?.Invoke(e.HashSlot, e.NewEndPoint);
    }

    private void OnConnectionChanged(ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive && e.EndPoint is { } endPoint)
        {
            ConnectionChanged?.Invoke(endPoint);
        }
    }
}
