using System.Net;
using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The cache's handle on Redis: either a multiplexer the application owns, or one shared per configuration
/// string (see <see cref="RedisConnectionRegistry"/>). A query asks <see cref="TryGetDatabase"/> and, when
/// Redis is not connected, goes to the database at once instead of waiting in a backlog.
/// </summary>
internal sealed class RedisConnection
{
    private const long ReconfigureIntervalMilliseconds = 1000;

    private readonly Lazy<IConnectionMultiplexer?> _multiplexer;
    private int _watching;
    private long _lastReconfigure = -ReconfigureIntervalMilliseconds;

    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        Endpoints = EndpointsText(multiplexer.GetEndPoints());
        Origin = "the configuration of the IConnectionMultiplexer given to UseRedisCacheAside";
        _multiplexer = new Lazy<IConnectionMultiplexer?>(multiplexer);
    }

    /// <param name="endpoints">The configured endpoints (<see cref="Endpoints"/>).</param>
    /// <param name="connect">Connects; null when the configuration is refused.</param>
    public RedisConnection(IEnumerable<EndPoint> endpoints, Func<IConnectionMultiplexer?> connect)
    {
        Endpoints = EndpointsText(endpoints);
        Origin = "the configuration string given to UseRedisCacheAside";
        _multiplexer = new Lazy<IConnectionMultiplexer?>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The endpoints this connection was given, for messages: host and port only, so never a password.</summary>
    public string Endpoints { get; }

    /// <summary>
    /// Where the application named <see cref="Endpoints"/>, for the advice of messages: an application that gave its own
    /// multiplexer gave no configuration string to the cache.
    /// </summary>
    public string Origin { get; }

    /// <summary>Whether the multiplexer exists and has a connected server; false also while the first connect runs.</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value?.IsConnected == true;

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

    public bool TryGetDatabase(out IDatabase database)
    {
        var multiplexer = _multiplexer.Value;
        if (multiplexer is null)
        {
            database = null!;
            return false;
        }

        if (Volatile.Read(ref _watching) == 0)
        {
            Watch(multiplexer);
        }

        if (multiplexer.IsConnected)
        {
            database = multiplexer.GetDatabase();
            return true;
        }

        database = null!;
        return false;
    }

    /// <summary>The primary that serves <paramref name="key"/> (on a cluster, the node of its slot); asked after <see cref="TryGetDatabase"/> succeeded.</summary>
    /// <exception cref="RedisException">No connected primary serves it.</exception>
    public IServer PrimaryFor(RedisKey key)
        => (_multiplexer.Value ?? throw new InvalidOperationException("Redis has no connection."))
            .GetServer(key, flags: CommandFlags.DemandMaster);

    /// <summary>The hash slot of <paramref name="key"/> on a cluster, -1 elsewhere.</summary>
    public int HashSlotOf(RedisKey key) => _multiplexer.Value?.HashSlot(key) ?? -1;

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
            || _multiplexer.Value is not { } multiplexer)
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

    private void Watch(IConnectionMultiplexer multiplexer)
    {
        if (Interlocked.Exchange(ref _watching, 1) != 0)
        {
            return;
        }

        // Subscribed for the multiplexer's lifetime: the connection lives as long as the cache registration.
        // Subscription connections carry no cache commands.
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
