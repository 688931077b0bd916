namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>The dependent of a table split, in the row of its <see cref="Ticket"/>.</summary>
public sealed class TicketBody
{
    public int Id { get; set; }

    public string Text { get; set; } = "";
}
