namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A reply in a thread whose parent's delete deletes it in the database (ON DELETE CASCADE).</summary>
public class Reply
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public int? ParentId { get; set; }

    public Reply? Parent { get; set; }
}
