namespace EfRedisCache.Benchmarks.Report;

/// <summary>One BenchmarkDotNet case: a variant (method) on a workload; times in µs, allocation in bytes.</summary>
public sealed record BenchmarkResult(string Variant, string Workload, double MeanUs, double MedianUs, double P95Us, double AllocatedBytes);
