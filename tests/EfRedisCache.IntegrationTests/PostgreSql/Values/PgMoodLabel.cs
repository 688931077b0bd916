namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary>A PostgreSQL enum column (<c>pg_mood</c>, mapped to <see cref="PgMood"/>) read as its label, a <see cref="string"/>.</summary>
public sealed class PgMoodLabel
{
    public int Id { get; set; }

    public string Mood { get; set; } = "";

    public string? MaybeMood { get; set; }
}
