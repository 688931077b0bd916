namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A row of the view <c>reporting."Items"</c>: an item's name and its label's text, joined.</summary>
public class ItemReport
{
    public int Id { get; set; }

    public string Title { get; set; } = "";
}
