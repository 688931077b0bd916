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

    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        _multiplexer = new Lazy<IConnectionMultiplexer?>(multiplexer);
    }

    public RedisConnection(Func<IConnectionMultiplexer?> connect)
    {
        _multiplexer = new Lazy<IConnectionMultiplexer?>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool TryGetDatabase(out IDatabase database)
    {
        var multiplexer = _multiplexer.Value;
        if (multiplexer is { IsConnected: true })
        {
            database = multiplexer.GetDatabase();
            return true;
        }

        database = null!;
        return false;
    }
}
