using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>The shop with products referencing their category through a foreign key that restricts deletes (no ON DELETE CASCADE).</summary>
public sealed class RestrictShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Product>().HasOne(p => p.Category).WithMany(c => c.Products).HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }
}
