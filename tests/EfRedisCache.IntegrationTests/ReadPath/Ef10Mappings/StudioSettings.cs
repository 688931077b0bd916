namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>A complex type stored as a JSON document, with values EF Core writes as JSON text and a nested collection.</summary>
public sealed class StudioSettings
{
    public string Theme { get; set; } = "";

    public int Level { get; set; }

    public decimal Budget { get; set; }

    public DateTimeOffset Renewed { get; set; }

    public Guid Key { get; set; }

    public Mood Mood { get; set; }

    public DateOnly Day { get; set; }

    public TimeSpan Span { get; set; }

    public byte[]? Blob { get; set; }

    public List<Award> Pinned { get; set; } = [];
}
