namespace EfRedisCache.IntegrationTests.WritePath.Migrations;

public sealed class CatalogItem
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}
