namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>The base of a TPH hierarchy whose two leaves share one TEXT column under properties of different types.</summary>
public abstract class SharedColumnNote
{
    public int Id { get; set; }
}
