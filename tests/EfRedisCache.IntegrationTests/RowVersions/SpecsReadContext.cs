using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A read model over Gadgets: plain integer ids, the JSON document read as its text.</summary>
public sealed class SpecsReadContext(DbContextOptions<SpecsReadContext> options) : DbContext(options)
{
    public DbSet<GadgetSpecsRow> Gadgets => Set<GadgetSpecsRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<GadgetSpecsRow>().ToTable("Gadgets").Property(g => g.Id).ValueGeneratedNever();
}
