namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>A required complex type (EF Core 10), its columns in the gizmo's table.</summary>
public sealed class GizmoSize
{
    public decimal Width { get; set; }

    public double Height { get; set; }
}
