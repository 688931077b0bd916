namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>One generated query: what it does, and how to run it on a context, marked <c>Cacheable()</c> or not.</summary>
internal sealed record FuzzQuery(string Description, Func<FuzzContext, bool, Task<object?>> Run);
