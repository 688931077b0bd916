namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>Primitive collections whose element type Npgsql's <c>GetValue</c> reads as another CLR type.</summary>
public sealed class Almanac
{
    public int Id { get; set; }

    public List<DateOnly> Days { get; set; } = [];

    public DateTimeOffset[] Moments { get; set; } = [];

    public List<TimeOnly> Times { get; set; } = [];
}
