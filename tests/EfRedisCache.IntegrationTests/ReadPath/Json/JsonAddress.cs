namespace EfRedisCache.IntegrationTests.ReadPath.Json;

public sealed class JsonAddress
{
    public string City { get; set; } = "";

    public decimal Latitude { get; set; }

    public DateTime VerifiedAt { get; set; }

    public List<AddressLine> Lines { get; set; } = [];
}
