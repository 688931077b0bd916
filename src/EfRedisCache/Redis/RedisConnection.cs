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
    private readonly Lazy<IConnectionMultiplexer?> _multiplexer;
    private int _watching;

    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        _multiplexer = new Lazy<IConnectionMultiplexer?>(multiplexer);
    }

    public RedisConnection(Func<IConnectionMultiplexer?> connect)
    {
        _multiplexer = new Lazy<IConnectionMultiplexer?>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// An interactive connection to <see cref="EndPoint"/> failed or was restored: what answers there now may be
    /// another Redis process (a restarted or promoted one; see <see cref="Resilience.FailoverGuard"/>).
    /// </summary>
    public event Action<EndPoint>? ConnectionChanged;

    /// <summary>The multiplexer's view of the servers changed (a cluster's slots, a primary's role).</summary>
    public event Action? ConfigurationChanged;

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
    }

    private void OnConnectionChanged(ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive && e.EndPoint is { } endPoint)
        {
            ConnectionChanged?.Invoke(endPoint);
        }
    }
}
