using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary><see cref="JulianMoment"/> rows on SQLite, in a <c>datetime</c> column (NUMERIC affinity keeps a number a number).</summary>
public sealed class JulianMomentContext(DbContextOptions<JulianMomentContext> options) : DbContext(options)
{
    public DbSet<JulianMoment> Moments => Set<JulianMoment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var moment = modelBuilder.Entity<JulianMoment>();
        moment.Property(m => m.Id).ValueGeneratedNever();
        moment.Property(m => m.At).HasColumnType("datetime");
    }
}
