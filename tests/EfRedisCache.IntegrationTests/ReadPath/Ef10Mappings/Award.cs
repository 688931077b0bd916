namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>An element of a complex collection stored as JSON.</summary>
public sealed class Award
{
    public string Title { get; set; } = "";

    public int Year { get; set; }
}
