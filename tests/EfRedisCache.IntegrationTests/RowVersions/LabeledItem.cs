namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>An item of <c>public."Items"</c>, with its label's id.</summary>
public class LabeledItem
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public int LabelId { get; set; }
}
