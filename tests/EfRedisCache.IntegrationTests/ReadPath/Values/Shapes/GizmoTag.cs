namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>An owned collection stored as JSON (<c>OwnsMany(...).ToJson()</c>).</summary>
public sealed class GizmoTag
{
    public required string Word { get; set; }

    public DateOnly Added { get; set; }
}
