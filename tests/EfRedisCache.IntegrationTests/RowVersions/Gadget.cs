namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A row of the Gadgets table keyed by a plain integer, as a read model maps it.</summary>
public class Gadget
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
