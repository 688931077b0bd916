namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>Stored as its number.</summary>
public enum FuzzKind
{
    Plain = 0,
    Fancy = 1,
    Rare = 7,
    Negative = -3,
}
