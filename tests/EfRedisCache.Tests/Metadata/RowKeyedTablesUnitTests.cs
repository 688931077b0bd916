using EfRedisCache.Metadata;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Metadata;

public sealed class RowKeyedTablesUnitTests
{
    /// <summary>
    /// Version keys name a table by its first 63 bytes (PostgreSQL's NAMEDATALEN): <c>archive."…_by_id"</c> is the table
    /// <c>archive."…"</c>, keyed by <c>Code</c>, and a read of it <c>WHERE "Id" = @p</c>, taken for a key lookup of the
    /// other table's row, would be versioned by a row no save of it bumps. A name qualifies for row versions only when
    /// every table of its identity is keyed by the same column.
    /// </summary>
    [Fact]
    public void Tables_alike_in_their_first_63_bytes_and_keyed_by_other_columns_get_no_row_versions()
    {
        using var context = new LongNamesContext(new DbContextOptionsBuilder<LongNamesContext>().UseSqlite("Data Source=unused.db").Options);
        var info = ModelCacheInfo.For(context.Model);

        Assert.Empty(info.RowKeyedTables);
        var read = info.AnalyzeQuery($"SELECT \"a\".\"Id\" FROM \"archive\".\"{LongNamesContext.Prefix}_by_id\" AS \"a\" WHERE \"a\".\"Id\" = @p");
        Assert.Null(read.KeyLookup);
    }
}
