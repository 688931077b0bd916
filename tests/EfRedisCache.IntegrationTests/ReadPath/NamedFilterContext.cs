using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// The Products table behind two named query filters (EF Core 10) that read the context: a tenant (the category)
/// and a soft-delete toggle, as applications switch them per request; either can be ignored by name.
/// </summary>
public sealed class NamedFilterContext(DbContextOptions<NamedFilterContext> options) : DbContext(options)
{
    public const string TenantFilter = "Tenant";

    public const string LiveFilter = "Live";

    public int CategoryId { get; set; }

    public bool ShowDiscontinued { get; set; }

    public DbSet<ProductListItem> Products => Set<ProductListItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<ProductListItem>(product =>
        {
            product.ToTable("Products");
            product.HasQueryFilter(TenantFilter, p => p.CategoryId == CategoryId);
            product.HasQueryFilter(LiveFilter, p => p.Status != ProductStatus.Discontinued || ShowDiscontinued);
        });
}
