namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>A <see cref="PgAnimal"/> with columns of its own.</summary>
public sealed class PgDog : PgAnimal
{
    public short Legs { get; set; }

    public DateTime BornOn { get; set; }
}
