namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>An order in <c>archive."Orders"</c>: a table of the same name in another schema, keyed by id and year.</summary>
public class ArchivedOrder
{
    public int Id { get; set; }

    public int Year { get; set; }

    public string Name { get; set; } = "";
}
