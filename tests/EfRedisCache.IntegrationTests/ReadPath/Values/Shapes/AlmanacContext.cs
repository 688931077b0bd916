using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class AlmanacContext(DbContextOptions<AlmanacContext> options) : DbContext(options)
{
    public DbSet<Almanac> Almanacs => Set<Almanac>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Almanac>().Property(a => a.Id).ValueGeneratedNever();
}
