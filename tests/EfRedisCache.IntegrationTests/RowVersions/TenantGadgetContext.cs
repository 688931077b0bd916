using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A write model over the Gadgets table with a composite key (tenant, id), so its saves name no row by one value.
/// The table it creates has that key; the read model (<see cref="GadgetReadContext"/>), which ignores the tenant,
/// keys the same rows by <c>Id</c> alone.
/// </summary>
public sealed class TenantGadgetContext(DbContextOptions<TenantGadgetContext> options) : DbContext(options)
{
    public DbSet<TenantGadget> TenantGadgets => Set<TenantGadget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<TenantGadget>().ToTable("Gadgets").HasKey(g => new { g.TenantId, g.Id });
}
