using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A write model over Gadgets: a strongly-typed key and a JSON document (<c>ToJson</c>) in the row.</summary>
public sealed class SpecifiedGadgetContext(DbContextOptions<SpecifiedGadgetContext> options) : DbContext(options)
{
    public DbSet<SpecifiedGadget> Gadgets => Set<SpecifiedGadget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var gadget = modelBuilder.Entity<SpecifiedGadget>();
        gadget.ToTable("Gadgets");
        gadget.Property(g => g.Id).HasConversion(id => id.Value, value => new GadgetId(value)).ValueGeneratedNever();
        gadget.OwnsOne(g => g.Specs, specs => specs.ToJson("Specs"));
    }
}
