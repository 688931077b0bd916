namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>
/// One property per PostgreSQL column type that SQLite tests never reach, each with a nullable twin: arrays,
/// <c>json</c>/<c>jsonb</c> text and documents, enums (PostgreSQL enum, integer, text), <c>timestamptz</c> and
/// <c>timestamp</c>, <c>interval</c>, dates and times, wide <c>numeric</c>, <c>uuid</c>, <c>bytea</c>, <c>citext</c>.
/// </summary>
public class PgValue
{
    public int Id { get; set; }

    public int[] Ints { get; set; } = [];

    public string[] Strings { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    public int?[]? MaybeInts { get; set; }

    public DateTime[] Stamps { get; set; } = [];

    public List<decimal> Amounts { get; set; } = [];

    public string JsonbText { get; set; } = "{}";

    public string? JsonText { get; set; }

    public PgMood NativeMood { get; set; }

    public PgMood? MaybeNativeMood { get; set; }

    public PgMood IntMood { get; set; }

    public PgMood? StringMood { get; set; }

    public DateTime UtcAt { get; set; }

    public DateTime? MaybeUtcAt { get; set; }

    public DateTime LocalAt { get; set; }

    public DateTime? MaybeLocalAt { get; set; }

    public DateTimeOffset OffsetAt { get; set; }

    public DateTimeOffset? MaybeOffsetAt { get; set; }

    public TimeSpan Span { get; set; }

    public TimeSpan? MaybeSpan { get; set; }

    public DateOnly Day { get; set; }

    public DateOnly? MaybeDay { get; set; }

    public TimeOnly Time { get; set; }

    public TimeOnly? MaybeTime { get; set; }

    public DateTime DayAsDateTime { get; set; }

    public DateTime? MaybeDayAsDateTime { get; set; }

    public TimeSpan TimeAsSpan { get; set; }

    public List<DateTime> DaysAsDateTimes { get; set; } = [];

    public TimeSpan[] TimesAsSpans { get; set; } = [];

    public DateTimeOffset ZonedTime { get; set; }

    public decimal Wide { get; set; }

    public decimal? MaybeWide { get; set; }

    public decimal Scaled { get; set; }

    public Guid Uuid { get; set; }

    public Guid? MaybeUuid { get; set; }

    public byte[] Bytes { get; set; } = [];

    public byte[]? MaybeBytes { get; set; }

    public string Caseless { get; set; } = "";

    public PgPlace Place { get; set; } = new();

    public PgPlace? OwnedPlace { get; set; }
}
