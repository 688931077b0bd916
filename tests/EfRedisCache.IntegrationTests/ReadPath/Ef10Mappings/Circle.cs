namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

public sealed class Circle : Shape
{
    public double Radius { get; set; }
}
