using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Invalidation;

/// <summary>A type of its own per context type, so <c>TryAddEnumerable</c> keeps one registration per context type.</summary>
internal sealed class InvalidatorRegistration<TContext> : InvalidatorRegistration
    where TContext : DbContext
{
    public override Type ContextType => typeof(TContext);
}
