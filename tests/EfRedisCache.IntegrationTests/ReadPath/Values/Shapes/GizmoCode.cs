namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>A strongly-typed id, stored as its integer.</summary>
public readonly record struct GizmoCode(int Value);
