using EfRedisCache.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// The test Redis filled to a 1 MB <c>maxmemory</c> under <c>noeviction</c>, so it refuses every write that needs
/// memory with OOM — large values first, then small ones, down to what a lock or a version seed needs — while
/// reads and DEL go on. Disposing lifts the limit and deletes the filler keys.
/// </summary>
internal sealed class FullRedis : IAsyncDisposable
{
    private readonly IServer _server;
    private readonly IDatabase _database;
    private readonly string _fill;
    private int _filled;

    private FullRedis(RedisServerFixture redis)
    {
        _server = ResilienceKit.Server(redis.Connection);
        _database = redis.Connection.GetDatabase();
        _fill = redis.NewKeyPrefix() + ":fill:";
    }

    public static async Task<FullRedis> FillAsync(RedisServerFixture redis)
    {
        var full = new FullRedis(redis);
        try
        {
            await full._server.ConfigSetAsync("maxmemory-policy", "noeviction");
            await full._server.ConfigSetAsync("maxmemory", "1mb");
            foreach (var size in new[] { 64 * 1024, 1024, 16 })
            {
                await full.FillWithAsync(new string('f', size));
            }

            return full;
        }
        catch
        {
            await full.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.ConfigSetAsync("maxmemory", "0");
        for (var i = 0; i <= _filled; i++)
        {
            await _database.KeyDeleteAsync(_fill + i);
        }
    }

    private async Task FillWithAsync(string chunk)
    {
        try
        {
            for (var i = 0; i < 2000; i++, _filled++)
            {
                await _database.StringSetAsync(_fill + _filled, chunk);
            }

            Assert.Fail("Redis never filled up");
        }
        catch (RedisServerException exception) when (exception.Message.Contains("OOM", StringComparison.Ordinal))
        {
            // Full for values of this size.
        }
    }
}
