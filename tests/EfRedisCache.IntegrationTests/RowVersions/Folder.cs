namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A folder in a tree whose parent's delete sets <see cref="ParentId"/> to null in the database (ON DELETE SET NULL).</summary>
public class Folder
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public int? ParentId { get; set; }

    public Folder? Parent { get; set; }
}
