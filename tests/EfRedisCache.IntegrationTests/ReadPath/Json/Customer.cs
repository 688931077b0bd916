namespace EfRedisCache.IntegrationTests.ReadPath.Json;

public sealed class Customer
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public JsonAddress? Address { get; set; }

    public Preferences Preferences { get; set; } = new();

    public List<string> Nicknames { get; set; } = [];

    public List<int> Scores { get; set; } = [];
}
