namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>An optional complex type (EF Core 10): null when its columns are.</summary>
public sealed class GizmoLabel
{
    public required string Text { get; set; }

    public DateOnly Printed { get; set; }
}
