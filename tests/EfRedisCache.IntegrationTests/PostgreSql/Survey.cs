namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>An entity with PostgreSQL array columns, which Npgsql reads as CLR arrays and lists.</summary>
public class Survey
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int[] Scores { get; set; } = [];

    public List<string> Labels { get; set; } = [];

    public int?[] Optional { get; set; } = [];
}
