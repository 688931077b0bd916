using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// The reset a test suite sharing one Redis runs between tests, on any database: <c>EnsureDeleted</c>, then
/// <c>EnsureCreated</c> and a seed through a cached context, one row changed by raw SQL so the new database differs
/// from the old one. Used by <see cref="DatabaseLifecycleTests"/> and <see cref="PostgreSql.PostgreSqlDatabaseLifecycleTests"/>.
/// </summary>
internal static class DatabaseReset
{
    public static async Task RecreateAndReseedAsync(ShopHarness shop, bool async)
    {
        await using var context = shop.NewContext();
        if (async)
        {
            await context.Database.EnsureDeletedAsync();
            await context.Database.EnsureCreatedAsync();
        }
        else
        {
            context.Database.EnsureDeleted();
            context.Database.EnsureCreated();
        }

        ShopSeed.Seed(context);
        await context.Database.ExecuteSqlRawAsync("UPDATE \"Products\" SET \"Name\" = 'Reseeded' WHERE \"Id\" = 1");
    }
}
