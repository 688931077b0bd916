using EfRedisCache.IntegrationTests.Model;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>A row of the Products table as <see cref="NamedFilterContext"/> maps it.</summary>
public sealed class ProductListItem
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int CategoryId { get; set; }

    public ProductStatus Status { get; set; }
}
