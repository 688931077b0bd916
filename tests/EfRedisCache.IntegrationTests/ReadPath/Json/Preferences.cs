namespace EfRedisCache.IntegrationTests.ReadPath.Json;

public sealed class Preferences
{
    public string Language { get; set; } = "en";

    public bool Newsletter { get; set; }

    public double? Discount { get; set; }
}
