using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>Meters on SQLite or PostgreSQL, for <see cref="TrackedRowsTests"/>.</summary>
public sealed class MeterContext(DbContextOptions<MeterContext> options) : DbContext(options)
{
    public DbSet<Meter> Meters => Set<Meter>();
}
