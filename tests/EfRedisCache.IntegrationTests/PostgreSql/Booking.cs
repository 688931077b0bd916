using System.Text.Json;
using NpgsqlTypes;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>A row with values the cache's codec does not encode: a PostgreSQL range and a <c>jsonb</c> document read as <see cref="JsonDocument"/>.</summary>
public sealed class Booking : IDisposable
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public NpgsqlRange<int> Seats { get; set; }

    public JsonDocument Details { get; set; } = JsonDocument.Parse("{}");

    public void Dispose() => Details.Dispose();
}
