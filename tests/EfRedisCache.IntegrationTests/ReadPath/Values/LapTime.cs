namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A <see cref="TimeSpan"/> in a SQLite TEXT column, which Microsoft.Data.Sqlite parses in the current culture.</summary>
public class LapTime
{
    public int Id { get; set; }

    public TimeSpan Duration { get; set; }
}
