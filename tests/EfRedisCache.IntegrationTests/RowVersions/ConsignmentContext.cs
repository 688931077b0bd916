using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A cascade that passes through a row two entity types share: the owned route's foreign key to the carrier is a
/// constraint on the consignments' table, so the database deletes the consignment's row, and then its lines.
/// </summary>
public sealed class ConsignmentContext(DbContextOptions<ConsignmentContext> options) : DbContext(options)
{
    public DbSet<Carrier> Carriers => Set<Carrier>();

    public DbSet<Consignment> Consignments => Set<Consignment>();

    public DbSet<ConsignmentLine> ConsignmentLines => Set<ConsignmentLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Consignment>().OwnsOne(c => c.Route, r => r.HasOne(x => x.Carrier).WithMany().HasForeignKey(x => x.CarrierId).OnDelete(DeleteBehavior.Cascade));
        modelBuilder.Entity<Consignment>().HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.ConsignmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
