namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A row whose columns a provider returns from <c>GetValue</c> in another type than the one EF Core asks for:
/// SQLite gives a <see cref="long"/> for <see cref="Reading"/> (stored two's-complement) and a string for
/// <see cref="ReadAt"/>; Npgsql gives an <c>int[]</c> for <see cref="Samples"/>.
/// </summary>
public class Meter
{
    public int Id { get; set; }

    public ulong Reading { get; set; }

    public DateTime ReadAt { get; set; }

    public List<int> Samples { get; set; } = [];
}
