using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// <see cref="JulianStamp"/> rows on SQLite, in columns declared as a scaffolded database declares them (<c>datetime</c>,
/// <c>date</c>: NUMERIC affinity, which keeps a number a number, where EF Core's TEXT would make it text).
/// </summary>
public sealed class JulianStampContext(DbContextOptions<JulianStampContext> options) : DbContext(options)
{
    public DbSet<JulianStamp> Stamps => Set<JulianStamp>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var stamp = modelBuilder.Entity<JulianStamp>();
        stamp.Property(s => s.Id).ValueGeneratedNever();
        stamp.Property(s => s.At).HasColumnType("datetime");
        stamp.Property(s => s.Day).HasColumnType("date");
    }
}
