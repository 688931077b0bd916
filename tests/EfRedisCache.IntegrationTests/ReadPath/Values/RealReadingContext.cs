using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary><see cref="RealReading"/> over columns of NUMERIC and REAL affinity, as a schema made outside EF Core has them.</summary>
public sealed class RealReadingContext(DbContextOptions<RealReadingContext> options) : DbContext(options)
{
    public DbSet<RealReading> Readings => Set<RealReading>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var reading = modelBuilder.Entity<RealReading>();
        reading.Property(r => r.Id).ValueGeneratedNever();
        reading.Property(r => r.AsDecimal).HasColumnType("decimal(18,6)");
        reading.Property(r => r.AsText).HasColumnType("REAL");
        reading.Property(r => r.AsDouble).HasColumnType("REAL");
    }
}
