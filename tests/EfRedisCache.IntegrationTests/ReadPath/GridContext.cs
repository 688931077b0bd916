using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>One table of <see cref="GridCell"/> rows, for <see cref="LocalCacheMemoryBoundTests"/>.</summary>
public sealed class GridContext(DbContextOptions<GridContext> options) : DbContext(options)
{
    public DbSet<GridCell> Grid => Set<GridCell>();
}
