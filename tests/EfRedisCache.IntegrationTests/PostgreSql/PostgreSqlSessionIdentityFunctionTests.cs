using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// Functions that answer who the session is (<c>pg_backend_pid()</c>, the client's address and port): a cache key
/// knows the database, not the session, so one session's answer was served to another.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSessionIdentityFunctionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Pg_backend_pid_marked_Cacheable_answers_each_session_its_own()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        const string sql = "SELECT pg_backend_pid() AS \"Value\"";
        await using var first = shop.NewContext();
        await using var second = shop.NewContext();
        await first.Database.OpenConnectionAsync();
        await second.Database.OpenConnectionAsync(); // another physical connection while the first is held

        var firstPid = await first.Database.SqlQueryRaw<int>(sql).Cacheable().SingleAsync();
        var secondPid = await second.Database.SqlQueryRaw<int>(sql).Cacheable().SingleAsync();
        var secondTruth = await second.Database.SqlQueryRaw<int>(sql).NotCacheable().SingleAsync();

        Assert.NotEqual(firstPid, secondTruth);
        Assert.Equal(secondTruth, secondPid);
    }
}
