namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>The root of a TPC hierarchy; on PostgreSQL its keys come from one sequence shared by its tables.</summary>
public abstract class Shape
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
