namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>The same row of the Gadgets table, as a write model with strongly-typed ids maps it.</summary>
public class TypedGadget
{
    public GadgetId Id { get; set; }

    public string Name { get; set; } = "";
}
