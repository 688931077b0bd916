namespace EfRedisCache.IntegrationTests.Model;

public class Phone
{
    public required string Kind { get; set; }

    public required string Number { get; set; }
}
