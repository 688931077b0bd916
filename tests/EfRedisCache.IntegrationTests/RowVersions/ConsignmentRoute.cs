namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>Owned by a <see cref="Consignment"/> in the consignment's table; its required carrier cascades on delete.</summary>
public class ConsignmentRoute
{
    public string Destination { get; set; } = "";

    public int CarrierId { get; set; }

    public Carrier? Carrier { get; set; }
}
