namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>The same row of the Gadgets table, as a write model keyed by a public GUID maps it.</summary>
public class PublicGadget
{
    public Guid PublicId { get; set; }

    public int Id { get; set; }

    public string Name { get; set; } = "";
}
