namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>An enum stored three ways by <see cref="PgValue"/>: as a PostgreSQL enum, as an integer, as text.</summary>
public enum PgMood
{
    Calm = 0,
    Cheerful = 7,
    Grumpy = -3,
}
