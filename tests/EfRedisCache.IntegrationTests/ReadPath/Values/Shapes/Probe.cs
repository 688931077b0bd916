namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>The base of a TPT hierarchy: a Probes table, plus a table per leaf joined on the key.</summary>
public abstract class Probe
{
    public int Id { get; set; }

    /// <summary>Stored as text.</summary>
    public Guid Serial { get; set; }

    public decimal Reading { get; set; }
}
