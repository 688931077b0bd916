namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class PressureProbe : Probe
{
    public decimal? Bar { get; set; }

    /// <summary>Stored as its name.</summary>
    public GizmoStatus Unit { get; set; }

    public TimeSpan Interval { get; set; }
}
