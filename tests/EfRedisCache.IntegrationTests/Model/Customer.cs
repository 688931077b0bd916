namespace EfRedisCache.IntegrationTests.Model;

public class Customer
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Owned, stored in the Customers table (table splitting).</summary>
    public Address? Address { get; set; }

    /// <summary>Owned collection, stored in a table of its own.</summary>
    public List<Phone> Phones { get; } = [];

    public List<Order> Orders { get; } = [];
}
