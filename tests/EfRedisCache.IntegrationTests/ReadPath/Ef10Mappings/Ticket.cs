namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>The principal of a table split: <see cref="TicketBody"/> shares its table and row.</summary>
public sealed class Ticket
{
    public int Id { get; set; }

    public string Subject { get; set; } = "";

    public TicketBody Body { get; set; } = null!;
}
