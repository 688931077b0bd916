namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>A keyless row of a database view or of a defining query over the Products table.</summary>
public sealed class ProductNameRow
{
    public int Id { get; set; }

    public required string Name { get; set; }
}
