using StackExchange.Redis;
using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

public sealed class LocalRedisServerTests
{
    [Fact]
    public async Task Fixture_without_any_redis_throws_what_to_install()
    {
        // No environment variable, no Docker, an empty PATH and no well-known directories: nothing to find.
        var fixture = new RedisServerFixture(
            configurationFromEnvironment: null, tryDocker: false, redisSearchPath: "", searchWellKnownDirectories: false);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);

        Assert.Equal(
            "No Redis for the integration tests: set EFRC_TEST_REDIS=host:port, start a Docker engine, " +
            "or install redis-server (Debian: apt-get install -y redis-server)",
            exception.Message);
    }

    [Fact]
    public void FindExecutable_with_empty_path_and_no_well_known_directories_finds_nothing()
    {
        Assert.Null(LocalRedisServer.FindExecutable(searchPath: "", includeWellKnownDirectories: false));
    }

    [Fact]
    public async Task Server_answers_ping_and_restarts_on_the_same_port()
    {
        var executable = LocalRedisServer.FindExecutable()
            ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage);
        using var server = LocalRedisServer.StartNew(executable);
        var port = server.Port;

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            await redis.GetDatabase().PingAsync();
            await redis.GetDatabase().StringSetAsync("k", "v");
        }

        server.Stop();
        Assert.False(server.IsRunning);
        Assert.False(LocalRedisServer.Ping(port, TimeSpan.FromMilliseconds(200)));

        server.Start();
        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            await redis.GetDatabase().PingAsync();

            // Nothing persists: a restart is an empty Redis, like a crashed cache node coming back.
            Assert.False(await redis.GetDatabase().KeyExistsAsync("k"));
        }
    }

    [Fact]
    public void Dispose_kills_the_server()
    {
        var executable = LocalRedisServer.FindExecutable()
            ?? throw new InvalidOperationException(RedisServerFixture.NoRedisMessage);
        var server = LocalRedisServer.StartNew(executable);
        var port = server.Port;

        server.Dispose();

        Assert.False(LocalRedisServer.Ping(port, TimeSpan.FromMilliseconds(200)));
    }
}
