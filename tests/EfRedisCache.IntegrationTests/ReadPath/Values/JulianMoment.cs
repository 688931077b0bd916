namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>An instant another application stored in SQLite as a Julian day number, read as a <see cref="DateTimeOffset"/>.</summary>
public class JulianMoment
{
    public int Id { get; set; }

    public DateTimeOffset At { get; set; }
}
