namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>An owned type stored as JSON in one TEXT column (<c>ToJson</c>).</summary>
public sealed class GizmoSpec
{
    public required string Notes { get; set; }

    public DateTime Made { get; set; }

    public decimal Ratio { get; set; }

    public GizmoStatus Grade { get; set; }
}
