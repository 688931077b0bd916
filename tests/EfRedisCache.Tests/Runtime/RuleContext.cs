using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Runtime;

/// <summary>A model of one entity, for the per-entity rules; never opens its connection.</summary>
public sealed class RuleContext(DbContextOptions<RuleContext> options) : DbContext(options)
{
    public DbSet<RuleItem> Items => Set<RuleItem>();
}
