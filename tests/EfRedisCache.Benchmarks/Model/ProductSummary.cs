namespace EfRedisCache.Benchmarks.Model;

/// <summary>The projection workload's DTO: three product columns and the joined category name.</summary>
public sealed record ProductSummary(int Id, string Name, decimal Price, string Category);
