namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// One generated query: what it does, and how to run it on a context, marked <c>Cacheable()</c> or not, reading a list
/// to its end or stopping after some rows.
/// </summary>
internal sealed record FuzzQuery(string Description, Func<FuzzContext, bool, int?, Task<object?>> Run);
