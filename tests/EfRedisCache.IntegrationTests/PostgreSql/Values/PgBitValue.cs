using System.Collections;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>A <c>bit(1)</c> column read as a <see cref="BitArray"/>, which Npgsql's <c>GetValue</c> reads as a <see cref="bool"/>.</summary>
public sealed class PgBitValue
{
    public int Id { get; set; }

    public BitArray Bit { get; set; } = new(1);
}
