namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A document stored in its gadget's row, in a JSON column.</summary>
public class GadgetSpecs
{
    public int Watts { get; set; }
}
