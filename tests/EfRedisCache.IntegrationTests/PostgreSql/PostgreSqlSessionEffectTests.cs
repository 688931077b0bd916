using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// PostgreSQL: raw queries run for what they do — write through a function, take an advisory lock, set a setting —
/// are not answered from the cache: a hit would write nothing, take no lock and set nothing, and its answer (the
/// lock was free) would be wrong for the caller. Unmarked raw SQL is not cached under <c>CacheAllQueries</c>; marked
/// <c>Cacheable()</c>, the lock and setting functions still make it uncacheable.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlSessionEffectTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task An_advisory_lock_marked_Cacheable_held_by_another_session_is_refused_not_served_as_taken_from_the_cache()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        await using var holder = shop.NewContext();
        await holder.Database.OpenConnectionAsync(); // the lock is the session's: it lasts while this connection is open
        Assert.True(await TryLockAsync(holder));

        await using var other = shop.NewContext();
        Assert.False(await TryLockAsync(other)); // another session: the database refuses, the lock is held
    }

    [Fact]
    public async Task A_setting_set_with_set_config_marked_Cacheable_is_set_on_every_call()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await context.Database.OpenConnectionAsync();
            Assert.Equal("7", await context.Database.SqlQuery<string>($"SELECT set_config('efrc.tenant', '7', false) AS \"Value\"").Cacheable().SingleAsync());
            Assert.Equal("7", await context.Database.SqlQuery<string>($"SELECT current_setting('efrc.tenant', true) AS \"Value\"").SingleAsync());
        }
    }

    /// <summary>
    /// A raw query of a function that writes (a counter here; an audit row, a job claim) must run on every call:
    /// under <c>CacheAllQueries</c> a hit would skip the write. Raw SQL is cached only when marked <c>Cacheable()</c>.
    /// </summary>
    [Fact]
    public async Task A_function_that_writes_called_through_raw_sql_runs_on_every_call_under_CacheAllQueries()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), o => o.CacheAllQueries = true, database: postgres.NewDatabase());
        await using (var setup = shop.NewUncachedContext())
        {
            await setup.Database.ExecuteSqlRawAsync("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0);");
            await setup.Database.ExecuteSqlRawAsync("CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS $$ UPDATE counter SET n = n + 1 RETURNING n $$");
        }

        var answers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            answers.Add(await context.Database.SqlQuery<int>($"SELECT bump() AS \"Value\"").SingleAsync());
            answers.Add((await context.Database.SqlQuery<int>($"SELECT * FROM bump() AS \"Value\"").ToListAsync()).Single());
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], answers);
        await using var check = shop.NewUncachedContext();
        Assert.Equal(6, await check.Database.SqlQuery<int>($"SELECT n AS \"Value\" FROM counter").SingleAsync());
    }

    private static Task<bool> TryLockAsync(DbContext context)
        => context.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock(4242) AS \"Value\"").Cacheable().SingleAsync();
}
