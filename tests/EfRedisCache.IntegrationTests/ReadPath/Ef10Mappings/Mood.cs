namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

public enum Mood
{
    Calm,
    Busy,
    Loud,
}
