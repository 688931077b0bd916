using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>Two tables named Orders in two schemas: one keyed by <c>Id</c>, the other by <c>(Id, Year)</c>.</summary>
public sealed class TwoSchemasContext(DbContextOptions<TwoSchemasContext> options) : DbContext(options)
{
    public DbSet<CurrentOrder> CurrentOrders => Set<CurrentOrder>();

    public DbSet<ArchivedOrder> ArchivedOrders => Set<ArchivedOrder>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CurrentOrder>().ToTable("Orders", "sales").Property(o => o.Id).ValueGeneratedNever();
        modelBuilder.Entity<ArchivedOrder>().ToTable("Orders", "archive").HasKey(o => new { o.Id, o.Year });
    }
}
