namespace EfRedisCache.IntegrationTests.Model;

public class Car : Vehicle
{
    public int Seats { get; set; }
}
