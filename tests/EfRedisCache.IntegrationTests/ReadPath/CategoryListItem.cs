namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>A row of the Categories table as <see cref="CategoryListContext"/> maps it.</summary>
public sealed class CategoryListItem
{
    public int Id { get; set; }

    public required string Name { get; set; }
}
