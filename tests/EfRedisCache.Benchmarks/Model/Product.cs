using System.Text.Json.Serialization;

namespace EfRedisCache.Benchmarks.Model;

public class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public decimal Price { get; set; }

    public int Stock { get; set; }

    public DateTime CreatedUtc { get; set; }

    public int CategoryId { get; set; }

    /// <summary>Not serialized: Include's fix-up would make a cycle for the hand-written JSON variants.</summary>
    [JsonIgnore]
    public Category? Category { get; set; }
}
