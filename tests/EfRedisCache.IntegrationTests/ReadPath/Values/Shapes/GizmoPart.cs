namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>An element of a complex collection stored as JSON (EF Core 10).</summary>
public sealed class GizmoPart
{
    public required string Name { get; set; }

    public double Mass { get; set; }

    public Guid Serial { get; set; }
}
