namespace EfRedisCache.IntegrationTests.Model;

public class CardPayment : Payment
{
    public required string Last4 { get; set; }
}
