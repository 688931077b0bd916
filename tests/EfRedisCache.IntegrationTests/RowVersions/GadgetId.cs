namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A strongly-typed id, stored as the integer it wraps.</summary>
public readonly record struct GadgetId(int Value);
