namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

public sealed class ThermoProbe : Probe
{
    public double Celsius { get; set; }

    /// <summary>Stored as a long (<c>DateTime.ToBinary</c>).</summary>
    public DateTime Calibrated { get; set; }
}
