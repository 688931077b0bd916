namespace EfRedisCache.IntegrationTests.Model;

/// <summary>TPT: a Vehicles table, plus Cars and Trucks tables joined on the key.</summary>
public class Vehicle
{
    public int Id { get; set; }

    public required string Make { get; set; }
}
