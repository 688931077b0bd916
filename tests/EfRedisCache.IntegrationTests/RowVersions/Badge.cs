namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A row keyed by <c>"Id"</c> that also holds a legacy number in a column spelled <c>"id"</c>.</summary>
public sealed class Badge
{
    public int Id { get; set; }

    public int LegacyId { get; set; }

    public string Name { get; set; } = "";
}
