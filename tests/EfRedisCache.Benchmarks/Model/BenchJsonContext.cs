using System.Text.Json.Serialization;

namespace EfRedisCache.Benchmarks.Model;

/// <summary>Source-generated System.Text.Json, the fastest thing a hand-written cache-aside would use.</summary>
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(List<Product>))]
[JsonSerializable(typeof(Category))]
[JsonSerializable(typeof(List<ProductSummary>))]
public sealed partial class BenchJsonContext : JsonSerializerContext;
