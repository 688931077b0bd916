namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>The queries every variant runs, smallest payload first.</summary>
public enum Workload
{
    /// <summary>One product by primary key (1 row).</summary>
    PkLookup,

    /// <summary>The 50 products of one category.</summary>
    List50,

    /// <summary>One category with its 50 products (<c>Include</c>, a join).</summary>
    Include,

    /// <summary>50 rows of a DTO: three product columns and the joined category name.</summary>
    Projection,

    /// <summary>All 1,000 products.</summary>
    List1000,
}
