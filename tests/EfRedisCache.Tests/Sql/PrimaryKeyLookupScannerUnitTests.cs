using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Sql;

public sealed class PrimaryKeyLookupScannerUnitTests
{
    private static readonly Dictionary<string, string> RowKeyed = new(StringComparer.OrdinalIgnoreCase) { ["Products"] = "Id", ["Widgets"] = "code" };
    private static readonly HashSet<string> Tables = new(StringComparer.OrdinalIgnoreCase) { "Products", "Categories", "Widgets" };

    [Theory]
    [InlineData("SELECT \"p\".\"Id\", \"p\".\"Name\" FROM \"Products\" AS \"p\" WHERE \"p\".\"Id\" = @__p_0 LIMIT 1", "@__p_0", null)]
    [InlineData("-- EfRedisCache.Cacheable ttl=default\n\nSELECT \"p\".\"Name\" FROM \"Products\" AS \"p\" WHERE \"p\".\"Id\" = @__id_0 LIMIT 2", "@__id_0", null)]
    [InlineData("SELECT \"Id\" FROM Products WHERE \"Id\" = 7", null, "7")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = $1;", "$1", null)]
    public void Recognizes_a_read_of_one_row_by_key(string sql, string? parameter, string? literal)
    {
        var lookup = SqlReadScanner.Analyze(sql, Tables, RowKeyed).KeyLookup;

        Assert.NotNull(lookup);
        Assert.Equal("products", lookup.Table);
        Assert.Equal(parameter, lookup.ParameterName);
        Assert.Equal(literal, lookup.Literal);
    }

    [Fact]
    public void Recognizes_an_unquoted_key_column_whose_name_has_no_upper_case_letter_to_fold()
    {
        var lookup = SqlReadScanner.Analyze("SELECT w.code FROM Widgets w WHERE w.code = $1", Tables, RowKeyed).KeyLookup;

        Assert.NotNull(lookup);
        Assert.Equal("widgets", lookup.Table);
        Assert.Equal("$1", lookup.ParameterName);
    }

    [Theory]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = @p AND p.Name = @n")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" > @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" <= @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.Price = @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = @p OR p.\"Id\" = @q")]
    [InlineData("SELECT p.\"Id\" FROM Products p JOIN Categories c ON c.Id = p.CategoryId WHERE p.\"Id\" = @p")]
    [InlineData("SELECT COUNT(*) FROM Products p WHERE p.\"Id\" = @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = @p ORDER BY p.Name")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = @p LIMIT 1 OFFSET 3")]
    [InlineData("SELECT c.Id FROM Categories c WHERE c.Id = @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE x.Id = @p")]
    [InlineData("SELECT p.\"Id\" FROM Products p WHERE p.\"Id\" = 'abc'")]
    [InlineData("SELECT p.\"id\" FROM Products p WHERE p.\"id\" = @p")] // PostgreSQL: another column than the key "Id"
    [InlineData("SELECT p.Id FROM Products p WHERE p.Id = @p")] // PostgreSQL folds it to id: another column than "Id"
    [InlineData("SELECT w.code FROM Widgets w WHERE w.\"Code\" = @p")]
    public void Anything_looser_is_an_ordinary_table_query(string sql)
    {
        Assert.Null(SqlReadScanner.Analyze(sql, Tables, RowKeyed).KeyLookup);
    }
}
