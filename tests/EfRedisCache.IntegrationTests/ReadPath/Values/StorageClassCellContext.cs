using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary><see cref="StorageClassCell"/>s; the table is made by <see cref="StorageClassDifferentialTests"/> with untyped columns.</summary>
public sealed class StorageClassCellContext(DbContextOptions<StorageClassCellContext> options) : DbContext(options)
{
    public DbSet<StorageClassCell> Cells => Set<StorageClassCell>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var cell = modelBuilder.Entity<StorageClassCell>();
        cell.Property(c => c.Id).ValueGeneratedNever();
        cell.Property(c => c.OfTextEnum).HasConversion<string>();
    }
}
