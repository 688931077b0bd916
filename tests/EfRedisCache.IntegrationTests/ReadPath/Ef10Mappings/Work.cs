namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>A studio's dependent, read through <c>Include</c> as a split and a single query.</summary>
public sealed class Work
{
    public int Id { get; set; }

    public int StudioId { get; set; }

    public string Title { get; set; } = "";

    public int Year { get; set; }
}
