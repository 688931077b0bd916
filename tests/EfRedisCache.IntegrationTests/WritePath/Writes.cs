using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>Sync or async SaveChanges, raw SQL and connection opening, so one test body covers both paths.</summary>
internal static class Writes
{
    public static async Task SaveAsync(ShopContext context, bool async)
    {
        if (async)
        {
            await context.SaveChangesAsync();
        }
        else
        {
            context.SaveChanges();
        }
    }

    public static async Task ExecuteSqlAsync(ShopContext context, string sql, bool async)
    {
        if (async)
        {
            await context.Database.ExecuteSqlRawAsync(sql);
        }
        else
        {
            context.Database.ExecuteSqlRaw(sql);
        }
    }

    public static async Task OpenConnectionAsync(ShopContext context, bool async)
    {
        if (async)
        {
            await context.Database.OpenConnectionAsync();
        }
        else
        {
            context.Database.OpenConnection();
        }
    }

    public static Product NewProduct(int id, string name, int categoryId = ShopSeed.HardwareCategoryId) => new()
    {
        Id = id,
        Name = name,
        Price = 12.34m,
        CreatedAt = ShopSeed.CreatedAt,
        Sku = Guid.NewGuid(),
        Stock = 3,
        Status = ProductStatus.Active,
        CategoryId = categoryId,
    };
}
