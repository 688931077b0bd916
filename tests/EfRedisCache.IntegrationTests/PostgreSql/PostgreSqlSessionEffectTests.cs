using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL: raw queries run for what they do to the session or the server — take an advisory lock, set a
/// setting — are not answered from the cache under <c>CacheAllQueries</c>, which caches <c>SqlQuery</c> too: a hit
/// would take no lock and set nothing, and its answer (the lock was free) would be wrong for the caller.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSessionEffectTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task An_advisory_lock_held_by_another_session_is_refused_not_served_as_taken_from_the_cache()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        await using var holder = shop.NewContext();
        await holder.Database.OpenConnectionAsync(); // the lock is the session's: it lasts while this connection is open
        Assert.True(await TryLockAsync(holder));

        await using var other = shop.NewContext();
        Assert.False(await TryLockAsync(other)); // another session: the database refuses, the lock is held
    }

    [Fact]
    public async Task A_setting_set_with_set_config_is_set_on_every_call()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await context.Database.OpenConnectionAsync();
            Assert.Equal("7", await context.Database.SqlQuery<string>($"SELECT set_config('efrc.tenant', '7', false) AS \"Value\"").SingleAsync());
            Assert.Equal("7", await context.Database.SqlQuery<string>($"SELECT current_setting('efrc.tenant', true) AS \"Value\"").SingleAsync());
        }
    }

    private static Task<bool> TryLockAsync(DbContext context)
        => context.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock(4242) AS \"Value\"").SingleAsync();
}
