namespace EfRedisCache.IntegrationTests.Model;

/// <summary>Many-to-many with <see cref="Product"/> through skip navigations and an implicit join table.</summary>
public class Tag
{
    public int Id { get; set; }

    public required string Label { get; set; }

    public List<Product> Products { get; } = [];
}
