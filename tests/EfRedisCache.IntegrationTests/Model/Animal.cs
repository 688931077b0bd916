namespace EfRedisCache.IntegrationTests.Model;

/// <summary>TPC: no Animals table; Dogs and Cats each hold all columns. Keys are set by the caller.</summary>
public abstract class Animal
{
    public int Id { get; set; }

    public required string Name { get; set; }
}
