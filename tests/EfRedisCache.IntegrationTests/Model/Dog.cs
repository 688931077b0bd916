namespace EfRedisCache.IntegrationTests.Model;

public class Dog : Animal
{
    public required string Breed { get; set; }
}
