using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.WritePath.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Migrations applied through a cached context while Redis keeps the entries read under the schema and data
/// before them: the next read sees the migrated rows.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MigrationInvalidationTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_data_migration_applied_by_Migrate_is_read_fresh(bool async)
    {
        using var database = new SqliteTestDatabase();
        var counter = new DatabaseCommandCounter();
        var options = database.CreateOptions<CatalogContext>(o => o
            .UseRedisCacheAside(redis.Connection, c =>
            {
                c.KeyPrefix = redis.NewKeyPrefix();
                c.RedisTimeout = ShopHarness.RoomyBudget;
            })
            .AddInterceptors(counter)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));

        await using (var context = new CatalogContext(options))
        {
            await context.GetService<IMigrator>().MigrateAsync(CatalogInitial.Id);
        }

        Assert.Equal("First|Second", await NamesAsync(options));
        var before = counter.Queries;
        Assert.Equal("First|Second", await NamesAsync(options));
        Assert.Equal(before, counter.Queries); // a hit

        await using (var context = new CatalogContext(options))
        {
            if (async)
            {
                await context.Database.MigrateAsync();
            }
            else
            {
                context.Database.Migrate();
            }
        }

        Assert.Equal("First, renamed by UpdateData|Second, renamed by Sql", await NamesAsync(options));
    }

    private static async Task<string> NamesAsync(DbContextOptions<CatalogContext> options)
    {
        await using var context = new CatalogContext(options);
        return string.Join('|', await context.CatalogItems.OrderBy(i => i.Id).Select(i => i.Name).Cacheable().ToListAsync());
    }
}
