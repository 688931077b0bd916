namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A complex type (<c>ComplexProperty</c>): columns of its owner's row, no key of its own.</summary>
public class Dimensions
{
    public double Width { get; set; }

    public float Depth { get; set; }

    public string? Unit { get; set; }
}
