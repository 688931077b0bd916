namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// PostgreSQL arrays that may hold NULL elements, one per element type Npgsql reads as a value type (and text for
/// contrast): Npgsql's <c>GetValue</c> refuses such an array, <c>GetFieldValue</c> of a nullable collection reads it.
/// </summary>
public sealed class PgNullElementValue
{
    public int Id { get; set; }

    public int?[] Ints { get; set; } = [];

    public List<long?> Longs { get; set; } = [];

    public List<short?> Shorts { get; set; } = [];

    public List<string?> Strings { get; set; } = [];

    public bool?[] Flags { get; set; } = [];

    public List<double?> Doubles { get; set; } = [];

    public float?[] Singles { get; set; } = [];

    public decimal?[] Amounts { get; set; } = [];

    public List<Guid?> Uuids { get; set; } = [];

    public DateOnly?[] Days { get; set; } = [];

    public List<TimeOnly?> Times { get; set; } = [];

    public TimeSpan?[] TimesAsSpans { get; set; } = [];

    public DateTime?[] UtcStamps { get; set; } = [];

    public List<DateTime?> LocalStamps { get; set; } = [];

    public DateTimeOffset?[] Moments { get; set; } = [];

    public List<TimeSpan?> Spans { get; set; } = [];

    public List<DateTime?> DaysAsDateTimes { get; set; } = [];

    public int[] Counts { get; set; } = [];
}
