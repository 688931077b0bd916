using EfRedisCache.Keys;
using EfRedisCache.Sql;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Keys;

public sealed class DependencyKeysUnitTests
{
    private static readonly RedisKeyNames Names = new("efrc");

    [Fact]
    public void Table_keys_are_built_once_per_query_shape()
    {
        var analysis = new QueryAnalysis(["orders", "products"], ReadsUnknownSources: true, IsWrite: false);

        var first = DependencyKeys.ForTables(Names, "db1", analysis, ["catalog"]);

        Assert.Same(first, DependencyKeys.ForTables(Names, "db1", analysis, ["catalog"]));
        Assert.Equal(
            [Names.GlobalEpoch, Names.DatabaseEpoch("db1"), Names.DatabaseWrites("db1"), Names.Table("db1", "orders"), Names.Table("db1", "products"), Names.Tag("catalog")],
            first);
    }

    [Fact]
    public void Another_database_tag_list_or_prefix_gets_its_own_keys()
    {
        var analysis = new QueryAnalysis(["orders"], ReadsUnknownSources: false, IsWrite: false);
        var other = new RedisKeyNames("other");

        Assert.Equal([Names.GlobalEpoch, Names.DatabaseEpoch("db1"), Names.Table("db1", "orders")], DependencyKeys.ForTables(Names, "db1", analysis, []));
        Assert.Equal([Names.GlobalEpoch, Names.DatabaseEpoch("db2"), Names.Table("db2", "orders")], DependencyKeys.ForTables(Names, "db2", analysis, []));
        Assert.Equal([Names.GlobalEpoch, Names.DatabaseEpoch("db2"), Names.Table("db2", "orders"), Names.Tag("t")], DependencyKeys.ForTables(Names, "db2", analysis, ["t"]));
        Assert.Equal([other.GlobalEpoch, other.DatabaseEpoch("db2"), other.Table("db2", "orders")], DependencyKeys.ForTables(other, "db2", analysis, []));
        Assert.Equal([Names.GlobalEpoch, Names.DatabaseEpoch("db1"), Names.Table("db1", "orders")], DependencyKeys.ForTables(Names, "db1", analysis, []));
    }

    [Fact]
    public void Row_keys_carry_the_row_and_are_not_shared_between_calls()
    {
        var lookup = new PrimaryKeyLookup("orders", "@p", null);
        var analysis = new QueryAnalysis(["orders"], ReadsUnknownSources: false, IsWrite: false, lookup);

        var seven = DependencyKeys.ForRow(Names, "db1", analysis, lookup, ["t"], "7");
        var eight = DependencyKeys.ForRow(Names, "db1", analysis, lookup, ["t"], "8");

        RedisKey[] expected = [Names.GlobalEpoch, Names.DatabaseEpoch("db1"), Names.TableBulk("db1", "orders"), Names.Row("db1", "orders", "7"), Names.Tag("t")];
        Assert.Equal(expected, seven);
        Assert.Equal("{efrc}:v:db1:t:orders:r:8", (string?)eight[3]);
        Assert.NotSame(seven, eight);

        // A lookup whose key cannot be read falls back to the table keys of the same analysis.
        Assert.Equal([Names.GlobalEpoch, Names.DatabaseEpoch("db1"), Names.Table("db1", "orders"), Names.Tag("t")], DependencyKeys.ForTables(Names, "db1", analysis, ["t"]));
    }
}
