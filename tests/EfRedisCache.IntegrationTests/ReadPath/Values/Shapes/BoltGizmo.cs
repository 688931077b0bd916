namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class BoltGizmo : Gizmo
{
    public decimal Torque { get; set; }

    public TimeSpan Thread { get; set; }

    public DateTimeOffset Rated { get; set; }
}
