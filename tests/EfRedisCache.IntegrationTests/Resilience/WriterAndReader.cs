using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// Two application processes over one shop — a writer and a reader, each a multiplexer of its own with short
/// timeouts — and an admin connection to fault Redis with: what <see cref="NoStaleAfterFaultTests"/> start from.
/// </summary>
internal sealed class WriterAndReader : IDisposable
{
    private readonly ConnectionMultiplexer _writerConnection;
    private readonly ConnectionMultiplexer _readerConnection;

    public WriterAndReader(RedisServerFixture redis, ShopHarness shop, Action<RedisCacheAsideOptions> configureWriter, Action<RedisCacheAsideOptions> configureReader)
    {
        _writerConnection = ResilienceKit.FastConnection(redis);
        _readerConnection = ResilienceKit.FastConnection(redis);
        Admin = redis.CreateConnection();
        Writer = ResilienceKit.Options(shop, _writerConnection, configureWriter);
        Reader = ResilienceKit.Options(shop, _readerConnection, configureReader);
    }

    public DbContextOptions<ShopContext> Writer { get; }

    public DbContextOptions<ShopContext> Reader { get; }

    public ConnectionMultiplexer Admin { get; }

    public void Dispose()
    {
        Admin.Dispose();
        _readerConnection.Dispose();
        _writerConnection.Dispose();
    }
}
