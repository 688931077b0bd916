namespace EfRedisCache.IntegrationTests.Model;

public class Truck : Vehicle
{
    public int PayloadKg { get; set; }
}
