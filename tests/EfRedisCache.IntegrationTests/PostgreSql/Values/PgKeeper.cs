namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>Owns <see cref="PgAnimal"/> rows, read with a split query.</summary>
public sealed class PgKeeper
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public List<PgAnimal> Animals { get; set; } = [];
}
