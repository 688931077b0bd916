using EfRedisCache.Invalidation;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A set's rows are version keys: two rows are one only when their table names and keys are the same characters.
/// They were held in a <see cref="SortedSet{T}"/> ordered by the tuple's default comparer, which compares strings by
/// the current culture: names that are canonically equivalent (a letter and its combining accent beside the
/// precomposed letter) compared equal, so a save of row 7 in two such tables — two distinct quoted identifiers in
/// PostgreSQL — bumped one row key and left the other table's cached lookup stale. It also made every row added cost
/// culture-aware comparisons: 0.6–1.9 s of a 100,000-row save's two collections, where a hash set takes 13–115 ms.
/// </summary>
public sealed class InvalidationSetRowsUnitTests
{
    [Fact]
    public void Rows_of_two_tables_whose_names_are_canonically_equivalent_are_two_rows()
    {
        var set = new InvalidationSet("db");
        set.Rows.Add(("Caf\u00e9", "7"));
        set.Rows.Add(("Cafe\u0301", "7"));

        Assert.Equal(2, set.Rows.Count);
    }

    [Fact]
    public void Rows_merged_from_another_set_keep_both_spellings()
    {
        var set = new InvalidationSet("db");
        set.Rows.Add(("Caf\u00e9", "7"));
        var other = new InvalidationSet("db");
        other.Rows.Add(("Cafe\u0301", "7"));

        set.Add(other);

        Assert.Equal(2, set.Rows.Count);
    }
}
