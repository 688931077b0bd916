using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A write model over the same Gadgets table, with a strongly-typed key: a value converter, so this model's own key
/// lookups are versioned per table, not per row.
/// </summary>
public sealed class GadgetWriteContext(DbContextOptions<GadgetWriteContext> options) : DbContext(options)
{
    public DbSet<TypedGadget> TypedGadgets => Set<TypedGadget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<TypedGadget>().ToTable("Gadgets")
            .Property(g => g.Id).HasConversion(id => id.Value, value => new GadgetId(value)).ValueGeneratedNever();
}
