using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL's large-object functions create, write and delete objects (<c>lo_create</c>, <c>lo_unlink</c>): called
/// through raw SQL marked <c>Cacheable()</c>, a hit did none of it and answered with the first call's object.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlLargeObjectEffectTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Lo_create_marked_Cacheable_creates_an_object_at_every_call()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var objects = new HashSet<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            objects.Add(await context.Database.SqlQueryRaw<long>("SELECT lo_create(0)::bigint AS \"Value\"").Cacheable().SingleAsync());
        }

        await using var truth = shop.NewUncachedContext();
        Assert.Equal(3, objects.Count);
        Assert.Equal(3L, await truth.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_largeobject_metadata").SingleAsync());
    }
}
