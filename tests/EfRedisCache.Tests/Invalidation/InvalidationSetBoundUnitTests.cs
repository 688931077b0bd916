using EfRedisCache.Invalidation;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A set's rows become its bump's keys, one Lua script that blocks Redis while it runs: past
/// <see cref="InvalidationSet.MaxRowKeys"/> rows, the tables with the most rows are bumped by their bulk epoch instead.
/// </summary>
public sealed class InvalidationSetBoundUnitTests
{
    [Fact]
    public void Rows_up_to_the_bound_keep_their_row_keys()
    {
        var set = WithRows("Products", InvalidationSet.MaxRowKeys);

        set.BoundRows();

        Assert.Equal(InvalidationSet.MaxRowKeys, set.Rows.Count);
        Assert.Empty(set.BulkTables);
    }

    [Fact]
    public void A_bulk_import_beside_a_few_rows_of_another_table_bumps_the_imported_table_s_bulk_epoch_and_keeps_the_few_rows()
    {
        var set = WithRows("Products", 20_000);
        set.Tables.Add("Customers");
        set.Rows.Add(("Customers", "7"));

        set.BoundRows();

        Assert.Equal(["Products"], set.BulkTables);
        Assert.Equal([("Customers", "7")], set.Rows);
        Assert.Contains("Products", set.Tables);
    }

    [Fact]
    public void Tables_with_the_most_rows_turn_bulk_first_until_the_rest_fit()
    {
        var set = WithRows("Lines", 900);
        set.Add(WithRows("Orders", 600));
        set.Add(WithRows("Customers", 50));

        set.BoundRows();

        Assert.Equal(["Lines"], set.BulkTables);
        Assert.Equal(650, set.Rows.Count);
        Assert.DoesNotContain(set.Rows, row => row.Table == "Lines");
    }

    [Fact]
    public void Saves_merged_at_a_commit_are_bounded_together()
    {
        var merged = new InvalidationSet("db");
        for (var save = 0; save < 20; save++)
        {
            var one = new InvalidationSet("db");
            for (var row = 0; row < 1_000; row++)
            {
                one.Rows.Add(("Products", ((save * 1_000) + row).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            merged.Add(one);
        }

        merged.BoundRows();

        Assert.Empty(merged.Rows);
        Assert.Equal(["Products"], merged.BulkTables);
    }

    [Fact]
    public void Rows_of_a_table_whose_bulk_epoch_is_bumped_anyway_need_no_row_key()
    {
        var set = WithRows("Categories", 3);
        set.Add(WithRows("Products", 3));
        set.BulkTables.Add("Products"); // a delete's cascade: the database changes rows the cache cannot name

        set.BoundRows();

        Assert.Equal(3, set.Rows.Count);
        Assert.All(set.Rows, row => Assert.Equal("Categories", row.Table));
    }

    private static InvalidationSet WithRows(string table, int rows)
    {
        var set = new InvalidationSet("db");
        set.Tables.Add(table);
        for (var row = 0; row < rows; row++)
        {
            set.Rows.Add((table, row.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return set;
    }
}
