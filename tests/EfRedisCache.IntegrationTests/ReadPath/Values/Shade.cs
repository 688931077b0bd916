namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>An enum stored as its name.</summary>
public enum Shade
{
    Light,
    Dark,
}
