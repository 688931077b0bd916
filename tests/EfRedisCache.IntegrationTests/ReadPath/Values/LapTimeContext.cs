using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>Lap times on SQLite, for <see cref="CultureTimeSpanTests"/>.</summary>
public sealed class LapTimeContext(DbContextOptions<LapTimeContext> options) : DbContext(options)
{
    public DbSet<LapTime> Laps => Set<LapTime>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<LapTime>().Property(l => l.Id).ValueGeneratedNever();
}
