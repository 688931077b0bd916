using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A read model: Gadgets keyed by an <see cref="int"/>, so its key lookups are versioned per row.</summary>
public sealed class GadgetReadContext(DbContextOptions<GadgetReadContext> options) : DbContext(options)
{
    public DbSet<Gadget> Gadgets => Set<Gadget>();
}
