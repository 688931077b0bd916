namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>A complex type or owned type stored as a <c>jsonb</c> document (<c>ToJson</c>).</summary>
public class PgPlace
{
    public string City { get; set; } = "";

    public decimal Latitude { get; set; }

    public DateTime VisitedAt { get; set; }

    public List<string> Notes { get; set; } = [];
}
