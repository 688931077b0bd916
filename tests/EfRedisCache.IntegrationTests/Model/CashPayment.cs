namespace EfRedisCache.IntegrationTests.Model;

public class CashPayment : Payment
{
    public decimal Tendered { get; set; }
}
