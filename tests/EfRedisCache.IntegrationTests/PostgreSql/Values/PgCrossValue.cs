namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>Properties over a column of another numeric type, which Npgsql converts on read and <c>GetValue</c> does not.</summary>
public sealed class PgCrossValue
{
    public int Id { get; set; }

    public long LongOverNumeric { get; set; }

    public int IntOverNumeric { get; set; }

    public float SingleOverNumeric { get; set; }

    public decimal DecimalOverDouble { get; set; }

    public decimal DecimalOverReal { get; set; }

    public ulong Counter { get; set; }

    public char Letter { get; set; }
}
