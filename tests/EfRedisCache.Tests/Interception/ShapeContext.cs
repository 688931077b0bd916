using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Interception;

/// <summary>A model whose query trees <see cref="QueryShapeTaggerUnitTests"/> tags; it never opens its connection.</summary>
public sealed class ShapeContext(DbContextOptions<ShapeContext> options) : DbContext(options)
{
    public DbSet<ShapeItem> Items => Set<ShapeItem>();
}
