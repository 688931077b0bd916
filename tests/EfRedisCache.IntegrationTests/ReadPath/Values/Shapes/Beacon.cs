namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>The base of a TPC hierarchy: no Beacons table, each leaf's table holds every column.</summary>
public abstract class Beacon
{
    public int Id { get; set; }

    /// <summary>Stored as 'Y' or 'N'.</summary>
    public bool Lit { get; set; }

    public DateTimeOffset Since { get; set; }
}
