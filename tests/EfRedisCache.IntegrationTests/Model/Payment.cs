namespace EfRedisCache.IntegrationTests.Model;

/// <summary>TPH: one Payments table with a discriminator column.</summary>
public abstract class Payment
{
    public int Id { get; set; }

    public int OrderId { get; set; }

    public Order Order { get; set; } = null!;

    public decimal Amount { get; set; }
}
