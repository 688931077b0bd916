namespace EfRedisCache.Tests.Metadata;

/// <summary>A row keyed by <see cref="Code"/>, with an <see cref="Id"/> column that is no key.</summary>
public sealed class LongNameByCode
{
    public int Code { get; set; }

    public int Id { get; set; }
}
