namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>An order in <c>sales."Orders"</c>, keyed by its id alone.</summary>
public class CurrentOrder
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
