namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A label a product's report title is built from, in a table of its own.</summary>
public class Label
{
    public int Id { get; set; }

    public string Text { get; set; } = "";
}
