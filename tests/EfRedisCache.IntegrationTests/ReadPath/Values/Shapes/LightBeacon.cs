namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class LightBeacon : Beacon
{
    public float Lumens { get; set; }

    /// <summary>Stored as the bytes of a custom converter.</summary>
    public required string Pattern { get; set; }

    public DateOnly? Serviced { get; set; }
}
