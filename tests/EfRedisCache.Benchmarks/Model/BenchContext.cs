using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Benchmarks.Model;

public class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Category>().Property(c => c.Id).ValueGeneratedNever();
        modelBuilder.Entity<Product>(product =>
        {
            product.Property(p => p.Id).ValueGeneratedNever();
            product.Property(p => p.Price).HasPrecision(18, 2);
            product.HasIndex(p => p.CategoryId);
        });
    }
}
