namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>A leaf that reads the shared column as a date.</summary>
public class DatedNote : SharedColumnNote
{
    public DateTime When { get; set; }
}
