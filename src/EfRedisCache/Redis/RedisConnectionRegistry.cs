using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// One multiplexer per configuration string and time budget per process: StackExchange.Redis's multiplexer is
/// designed to be shared, and a connection per DbContext would exhaust sockets under load. The budget is part of
/// the key because it becomes the multiplexer's own timeouts: a registration with a longer <c>RedisTimeout</c>
/// must not be cut short by the timeouts of another registration that came first with the same string.
/// </summary>
internal static class RedisConnectionRegistry
{
    private static readonly ConcurrentDictionary<(string Configuration, TimeSpan Timeout), RedisConnection> Connections = new();

    /// <summary>
    /// Connections made from configuration strings to one set of endpoints (<see cref="RedisConnection.Endpoints"/>) per
    /// warning to the application (event 1202, at every this many). Each lives as long as the process: it cannot be closed while a context may
    /// still use it, and it holds what could not be delivered to Redis yet. A string that changes (a rotating password or
    /// token in it, a string built per context) so opened a multiplexer and its sockets per value, without a word.
    /// A few per endpoint are normal (another <c>RedisTimeout</c>, another database number); this many are not.
    /// </summary>
    internal const int ManyConnectionsAlike = 10;

    private static readonly ConcurrentDictionary<string, int> MadeByEndpoints = new(StringComparer.Ordinal);

    // Weak, so a multiplexer the application disposes is not kept alive by the registry.
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, RedisConnection> ByMultiplexer = [];

    /// <summary>
    /// The one handle on a multiplexer the application gives, for every registration on it: what is kept per
    /// connection (pending invalidations, <see cref="Resilience.PendingInvalidationsRegistry"/>) is then shared by them.
    /// </summary>
    public static RedisConnection Get(IConnectionMultiplexer multiplexer)
        => ByMultiplexer.GetValue(multiplexer, static m => new RedisConnection(m));

    /// <param name="redisConfiguration">The string given to <c>UseRedisCacheAside</c>, under that parameter's name: a bad one is the application's argument there, and the exception names it.</param>
    /// <param name="timeout">The registration's <c>RedisTimeout</c>.</param>
    /// <exception cref="ArgumentException">The configuration string is not one StackExchange.Redis accepts.</exception>
    public static RedisConnection Get(string redisConfiguration, TimeSpan timeout)
        => Connections.GetOrAdd((redisConfiguration, timeout), static key => Create(key.Configuration, key.Timeout));

    private static RedisConnection Create(string redisConfiguration, TimeSpan timeout)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redisConfiguration);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(
                $"'{WithoutPassword(redisConfiguration)}' is not a valid StackExchange.Redis configuration string: {exception.Message}",
                nameof(redisConfiguration),
                exception);
        }

        if (options.EndPoints.Count == 0)
        {
            // The multiplexer would refuse it at the first query, and every query after it: refused here instead.
            throw new ArgumentException($"'{WithoutPassword(redisConfiguration)}' names no Redis endpoint.", nameof(redisConfiguration));
        }

        var connection = new RedisConnection(options.EndPoints, () => ConnectAsync(options, timeout));
        // Every tenth, not the tenth only: a string that keeps changing keeps saying so, as its sockets keep growing.
        if (MadeByEndpoints.AddOrUpdate(connection.Endpoints, 1, static (_, made) => made + 1) % ManyConnectionsAlike == 0)
        {
            connection.MarkManyAlike();
        }

        return connection;
    }

    /// <summary>The string as the application wrote it, for messages, with the value of <c>password=</c> masked: applications log exceptions.</summary>
    private static string WithoutPassword(string configuration)
    {
        var parts = configuration.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parts[i].AsSpan(0, equals).Trim().Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = parts[i][..(equals + 1)] + "*****";
            }
        }

        return string.Join(',', parts);
    }

    /// <summary>
    /// Asynchronous, so no thread waits for the connect (<see cref="RedisConnection.TryGetDatabase(out IDatabase, out Task{IConnectionMultiplexer})"/>); with
    /// <c>AbortOnConnectFail</c> off, it ends after the first attempt, connected or not, and keeps retrying.
    /// </summary>
    private static async Task<IConnectionMultiplexer?> ConnectAsync(ConfigurationOptions options, TimeSpan timeout)
    {
        // Never fail the first query because Redis is down: connect in the background and keep retrying.
        options.AbortOnConnectFail = false;

        // A command issued while disconnected fails at once instead of waiting in a backlog: the caller
        // falls back to the database.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var milliseconds = (int)Math.Ceiling(timeout.TotalMilliseconds);
        options.ConnectTimeout = Math.Max(milliseconds, 1);
        options.SyncTimeout = Math.Max(milliseconds, 1);
        options.AsyncTimeout = Math.Max(milliseconds, 1);
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // A configuration the multiplexer itself rejects at connect time; queries run uncached rather than fail.
            return null;
        }
    }
}
