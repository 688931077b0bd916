namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>A <see cref="PgAnimal"/> whose columns other rows leave NULL.</summary>
public sealed class PgFish : PgAnimal
{
    public double Depth { get; set; }

    public TimeSpan Swim { get; set; }
}
