using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>Oddities on SQLite or PostgreSQL, for <see cref="UnusualValueTests"/>.</summary>
public sealed class OddityContext(DbContextOptions<OddityContext> options) : DbContext(options)
{
    public DbSet<Oddity> Oddities => Set<Oddity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var oddity = modelBuilder.Entity<Oddity>();
        oddity.Property(o => o.Id).ValueGeneratedNever();
        oddity.Property(o => o.Shade).HasConversion<string>();
        oddity.ComplexProperty(o => o.Size);
        if (Database.IsNpgsql())
        {
            oddity.Property(o => o.Unspecified).HasColumnType("timestamp without time zone");
        }
    }
}
