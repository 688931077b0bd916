namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>An owned type in the gizmo's table (table splitting).</summary>
public sealed class GizmoOrigin
{
    public required string Country { get; set; }

    public DateOnly Since { get; set; }

    public TimeOnly Shift { get; set; }
}
