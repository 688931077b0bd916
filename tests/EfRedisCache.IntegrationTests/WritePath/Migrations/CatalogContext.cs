using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath.Migrations;

/// <summary>A context whose schema and data come from migrations (<see cref="CatalogInitial"/>, <see cref="CatalogRenames"/>), not EnsureCreated.</summary>
public sealed class CatalogContext(DbContextOptions<CatalogContext> options) : DbContext(options)
{
    public DbSet<CatalogItem> CatalogItems => Set<CatalogItem>();
}
