namespace EfRedisCache.IntegrationTests.Model;

/// <summary>One property of each CLR type whose round trip through the cache must be exact.</summary>
public class Product
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public decimal Price { get; set; }

    public DateTime CreatedAt { get; set; }

    public Guid Sku { get; set; }

    public double? Rating { get; set; }

    public long Stock { get; set; }

    public ProductStatus Status { get; set; }

    public byte[]? Image { get; set; }

    public DateOnly? AvailableFrom { get; set; }

    public DateTimeOffset? Released { get; set; }

    public int CategoryId { get; set; }

    public Category Category { get; set; } = null!;

    public List<Tag> Tags { get; } = [];

    public List<OrderLine> OrderLines { get; } = [];
}
