namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class RadioBeacon : Beacon
{
    public decimal Megahertz { get; set; }

    public GizmoCode Channel { get; set; }
}
