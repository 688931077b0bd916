namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>The root of a TPH hierarchy: EF Core reads each row's columns by its discriminator.</summary>
public abstract class PgAnimal
{
    public int Id { get; set; }

    public int KeeperId { get; set; }

    public string Name { get; set; } = "";
}
