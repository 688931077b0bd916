namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>A struct complex type (EF Core 10), required and optional.</summary>
public record struct GridPoint(double X, double Y);
