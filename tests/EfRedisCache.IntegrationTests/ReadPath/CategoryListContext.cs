using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A second context type over the shop's Categories table, to prove two context types never share entries
/// even when their SQL is identical.
/// </summary>
public sealed class CategoryListContext(DbContextOptions<CategoryListContext> options) : DbContext(options)
{
    public DbSet<CategoryListItem> Categories => Set<CategoryListItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<CategoryListItem>().ToTable("Categories");
}
