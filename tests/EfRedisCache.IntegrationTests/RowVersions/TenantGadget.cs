namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>The same row of the Gadgets table, as a multi-tenant write model maps it: keyed by tenant and id.</summary>
public class TenantGadget
{
    public int TenantId { get; set; }

    public int Id { get; set; }

    public string Name { get; set; } = "";
}
