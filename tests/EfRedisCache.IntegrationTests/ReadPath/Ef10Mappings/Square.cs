namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

public sealed class Square : Shape
{
    public double Side { get; set; }
}
