namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>The principal of <see cref="FuzzItem"/>: a reference to Include, and a region to filter on through it.</summary>
public class FuzzOwner
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string? Region { get; set; }

    public List<FuzzItem> Items { get; set; } = [];
}
