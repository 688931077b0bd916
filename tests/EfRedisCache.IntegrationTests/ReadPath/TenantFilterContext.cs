using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// The Categories table behind a global query filter that reads a field of the context, as multi-tenant
/// applications filter by the current tenant: EF Core sends the field's value as a parameter.
/// </summary>
public sealed class TenantFilterContext(DbContextOptions<TenantFilterContext> options, int tenantCategoryId) : DbContext(options)
{
    public int TenantCategoryId { get; } = tenantCategoryId;

    public DbSet<CategoryListItem> Categories => Set<CategoryListItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<CategoryListItem>(category =>
        {
            category.ToTable("Categories");
            category.HasQueryFilter(c => c.Id == TenantCategoryId);
        });
}
