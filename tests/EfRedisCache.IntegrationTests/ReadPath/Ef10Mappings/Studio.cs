namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>
/// An entity with each complex-type mapping of EF Core 10: an optional complex type in columns with a nested one, a
/// struct complex type and an optional one, a complex type stored as JSON holding a collection, and a complex
/// collection stored as JSON; and a collection of entities for split queries.
/// </summary>
public sealed class Studio
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public StudioContact? Contact { get; set; }

    public GridPoint Location { get; set; }

    public GridPoint? Pin { get; set; }

    public StudioSettings Settings { get; set; } = new();

    public List<Award> Awards { get; set; } = [];

    public List<Work> Works { get; } = [];
}
