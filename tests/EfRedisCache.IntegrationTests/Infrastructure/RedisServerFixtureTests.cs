using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

[Collection(RedisCollection.Name)]
public sealed class RedisServerFixtureTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Shared_connection_answers()
    {
        var latency = await redis.Connection.GetDatabase().PingAsync();

        Assert.True(latency < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Key_prefixes_are_unique()
    {
        Assert.NotEqual(redis.NewKeyPrefix(), redis.NewKeyPrefix());
    }
}
