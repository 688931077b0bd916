namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A carrier that consignments' routes name by a required foreign key (ON DELETE CASCADE).</summary>
public class Carrier
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
