namespace EfRedisCache.IntegrationTests.Model;

public class Cat : Animal
{
    public int Lives { get; set; }
}
