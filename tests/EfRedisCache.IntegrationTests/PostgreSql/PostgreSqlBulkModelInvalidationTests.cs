using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary><see cref="BulkModelCases"/> on PostgreSQL (its SQL: UPDATE … FROM, DELETE … USING).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBulkModelInvalidationTests(RedisServerFixture redis, PostgresFixture postgres)
{
    public static TheoryData<string> Names => BulkModelCases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_bulk_write_over_the_model_invalidates_every_query_it_changed(string name)
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        await BulkModelCases.RunAsync(shop, name);
    }
}
