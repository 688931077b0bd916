namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A row of the Gadgets table as a read model maps it: the JSON document as text.</summary>
public class GadgetSpecsRow
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string Specs { get; set; } = "";
}
