using System.Numerics;
using System.Text.Json;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>Types Npgsql's <c>GetValue</c> reads as another type the codec stores: a <c>numeric</c> as <see cref="decimal"/>, a <c>jsonb</c> as text.</summary>
public sealed class PgBigValue : IDisposable
{
    public int Id { get; set; }

    public BigInteger Big { get; set; }

    public JsonDocument? Document { get; set; }

    public void Dispose() => Document?.Dispose();
}
