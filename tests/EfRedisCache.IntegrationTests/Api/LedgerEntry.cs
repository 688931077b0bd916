namespace EfRedisCache.IntegrationTests.Api;

/// <summary>A row whose timestamp two schema versions store differently.</summary>
public sealed class LedgerEntry
{
    public int Id { get; set; }

    public DateTime At { get; set; }
}
