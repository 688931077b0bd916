namespace EfRedisCache.IntegrationTests.ReadPath.Json;

public sealed class AddressLine
{
    public string Text { get; set; } = "";
}
