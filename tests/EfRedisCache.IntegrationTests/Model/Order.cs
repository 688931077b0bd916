namespace EfRedisCache.IntegrationTests.Model;

public class Order
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer Customer { get; set; } = null!;

    public DateTime PlacedAt { get; set; }

    public List<OrderLine> Lines { get; } = [];

    public List<Payment> Payments { get; } = [];
}
