namespace EfRedisCache.Tests.Metadata;

/// <summary>A row keyed by <see cref="Id"/>, in a table whose long name shares its first 63 bytes with <see cref="LongNameByCode"/>'s.</summary>
public sealed class LongNameById
{
    public int Id { get; set; }
}
