using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// pgcrypto's random values (<c>gen_random_bytes</c>, <c>gen_salt</c>): a token or a salt must be new at every call,
/// as <c>gen_random_uuid()</c> is. Marked <c>Cacheable()</c>, every call got the first call's bytes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlPgcryptoRandomTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("SELECT encode(gen_random_bytes(16), 'hex') AS \"Value\"")]
    [InlineData("SELECT gen_salt('bf') AS \"Value\"")]
    public async Task A_pgcrypto_random_value_marked_Cacheable_is_new_at_every_call(string sql)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlRawAsync("CREATE EXTENSION IF NOT EXISTS pgcrypto");
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            values.Add(await context.Database.SqlQueryRaw<string>(sql).Cacheable().SingleAsync());
        }

        Assert.Equal(3, values.Count);
    }
}
