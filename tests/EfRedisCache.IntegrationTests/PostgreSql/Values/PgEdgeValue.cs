namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>PostgreSQL values at the edges of their CLR types: NaN and signed zeros, infinite timestamps, padded text, xid/oid, money, smallint lists.</summary>
public sealed class PgEdgeValue
{
    public int Id { get; set; }

    public float Real { get; set; }

    public double DoublePrecision { get; set; }

    public double NumericAsDouble { get; set; }

    public DateTime Stamp { get; set; }

    public DateTimeOffset StampTz { get; set; }

    public DateTime StampTzAsDateTime { get; set; }

    public string Fixed { get; set; } = "";

    public uint Xid { get; set; }

    public uint Oid { get; set; }

    public decimal Money { get; set; }

    public List<short> Shorts { get; set; } = [];
}
