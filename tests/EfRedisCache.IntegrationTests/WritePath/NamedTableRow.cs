namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>A row of <see cref="NamedTableContext"/>'s one table, whose name and schema each test chooses.</summary>
public sealed class NamedTableRow
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
