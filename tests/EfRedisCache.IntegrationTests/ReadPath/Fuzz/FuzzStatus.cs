namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>Stored as its name (<see cref="FuzzContext"/>).</summary>
public enum FuzzStatus
{
    Draft,
    Active,
    Retired,
}
