namespace EfRedisCache.Invalidation;

/// <summary>A context type <c>AddRedisCacheInvalidator</c> was called for; one per type (<see cref="InvalidatorRegistration{TContext}"/>).</summary>
internal abstract class InvalidatorRegistration
{
    public abstract Type ContextType { get; }
}
