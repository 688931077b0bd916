namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>Dates that another application stored in SQLite as Julian day numbers (REAL or INTEGER), not as text.</summary>
public class JulianStamp
{
    public int Id { get; set; }

    public DateTime At { get; set; }

    public DateOnly Day { get; set; }
}
