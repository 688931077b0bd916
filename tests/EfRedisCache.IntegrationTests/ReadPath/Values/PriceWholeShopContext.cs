using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>The shop plus <see cref="PriceWholeRow"/>, mapped onto the Products table as a view.</summary>
public sealed class PriceWholeShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    public DbSet<PriceWholeRow> WholePrices => Set<PriceWholeRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<PriceWholeRow>().HasNoKey().ToView("Products");
    }
}
