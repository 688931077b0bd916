using NpgsqlTypes;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>PostgreSQL values outside the cache's codec that Npgsql reads into its own types: ranges, multiranges, <c>tsvector</c>, <c>bytea[]</c>.</summary>
public sealed class PgRareValue
{
    public int Id { get; set; }

    public NpgsqlRange<int> Seats { get; set; }

    public NpgsqlRange<DateTime> Period { get; set; }

    public NpgsqlRange<int>[] Gaps { get; set; } = [];

    public NpgsqlTsVector? Words { get; set; }

    public List<byte[]> Blobs { get; set; } = [];
}
