namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>PostgreSQL values a CLR type cannot hold (<c>numeric</c> NaN/Infinity as <see cref="decimal"/>, an <c>interval</c> with months as <see cref="TimeSpan"/>): Npgsql throws, and so must a hit.</summary>
public sealed class PgOddValue
{
    public int Id { get; set; }

    public decimal Numeric { get; set; }

    public double NumericAsDouble { get; set; }

    public TimeSpan Interval { get; set; }
}
