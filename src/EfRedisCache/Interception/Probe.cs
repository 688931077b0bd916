namespace EfRedisCache.Interception;

/// <summary>The answer of one read-path round trip (<see cref="ReadPathRedis.ProbeAsync"/>): <see cref="Failed"/> sends the query to the database.</summary>
internal readonly record struct Probe<T>(bool Failed, T? Value);
