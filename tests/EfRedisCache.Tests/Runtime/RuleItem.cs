namespace EfRedisCache.Tests.Runtime;

public sealed class RuleItem
{
    public int Id { get; set; }
}
