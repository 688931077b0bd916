using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A write model over the Gadgets table keyed by a GUID column, so its saves name no row by an integer; the read
/// model (<see cref="GadgetReadContext"/>) keys the same rows by <c>Id</c> and versions its lookups per row.
/// </summary>
public sealed class PublicGadgetContext(DbContextOptions<PublicGadgetContext> options) : DbContext(options)
{
    public DbSet<PublicGadget> PublicGadgets => Set<PublicGadget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<PublicGadget>().ToTable("Gadgets").HasKey(g => g.PublicId);
}
