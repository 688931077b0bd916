namespace EfRedisCache.Tests.Interception;

/// <summary>A row for <see cref="QueryShapeTaggerUnitTests"/>'s model.</summary>
public sealed class ShapeItem
{
    public int Id { get; set; }

    public decimal Price { get; set; }

    public DateTime At { get; set; }
}
