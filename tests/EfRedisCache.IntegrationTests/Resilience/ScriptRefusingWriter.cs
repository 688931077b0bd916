using EfRedisCache.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A writing process's own connection, logged in to Redis as a user of its own whose scripts Redis can be made to
/// refuse (NOPERM): its invalidations fail while every other process's commands go on. Disposing it closes the
/// connection and deletes the user.
/// </summary>
internal sealed class ScriptRefusingWriter : IAsyncDisposable
{
    private readonly IServer _server;
    private readonly string _user;

    private ScriptRefusingWriter(IServer server, string user, ConnectionMultiplexer connection)
    {
        _server = server;
        _user = user;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    /// <param name="server">An admin connection's server, which manages the user.</param>
    public static async Task<ScriptRefusingWriter> CreateAsync(RedisServerFixture redis, IServer server)
    {
        var user = "w" + Guid.NewGuid().ToString("N");
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all");
        try
        {
            var connection = ConnectionMultiplexer.Connect(
                redis.Configuration + $",user={user},password=secret,abortConnect=false,connectTimeout=500,syncTimeout=300,asyncTimeout=300");
            return new ScriptRefusingWriter(server, user, connection);
        }
        catch
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
            throw;
        }
    }

    public Task RefuseScriptsAsync() => _server.ExecuteAsync("ACL", "SETUSER", _user, "-@scripting");

    public Task AllowScriptsAsync() => _server.ExecuteAsync("ACL", "SETUSER", _user, "+@all");

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await _server.ExecuteAsync("ACL", "DELUSER", _user);
    }
}
