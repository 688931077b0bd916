namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A row of the Gadgets table as a write model with strongly-typed ids and a JSON document maps it.</summary>
public class SpecifiedGadget
{
    public GadgetId Id { get; set; }

    public string Name { get; set; } = "";

    public GadgetSpecs Specs { get; set; } = new();
}
