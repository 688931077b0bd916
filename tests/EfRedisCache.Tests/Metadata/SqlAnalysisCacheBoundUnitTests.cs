using System.Text;
using EfRedisCache.Metadata;
using EfRedisCache.Tests.Runtime;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Metadata;

/// <summary>
/// Every command a cached context sends is analysed (its tables, whether it writes) and the analysis remembered by its
/// SQL text. An application that inlines values (raw SQL built by hand, bulk <c>INSERT … VALUES</c>, <c>EF.Constant</c>,
/// a long <c>IN</c> list) sends a new text each time: the memory those texts hold must stay bounded in characters, not
/// only in count, since ten thousand texts of a bulk insert's size are gigabytes.
/// </summary>
public sealed class SqlAnalysisCacheBoundUnitTests
{
    private const int TextLength = 20_000;
    private const int Texts = 1_000;

    [Fact]
    public void Long_distinct_sql_texts_keep_a_bounded_number_of_characters()
    {
        using var context = new RuleContext(new DbContextOptionsBuilder<RuleContext>().UseSqlite("Data Source=analysis-bound.db").Options);
        var info = ModelCacheInfo.For(context.Model);

        for (var i = 0; i < Texts; i++)
        {
            Assert.Equal(["items"], info.AnalyzeWrite(Insert(i)).Tables);
            Assert.Equal(["items"], info.AnalyzeQuery(Select(i)).Tables);
        }

        // Both caches together: a read's and a write's.
        Assert.InRange(info.RememberedSqlCharacters, 0, 2L * ModelCacheInfo.MaxCachedCharacters);
    }

    [Fact]
    public void A_forgotten_analysis_is_computed_again_alike()
    {
        using var context = new RuleContext(new DbContextOptionsBuilder<RuleContext>().UseSqlite("Data Source=analysis-bound.db").Options);
        var info = ModelCacheInfo.For(context.Model);
        var first = Insert(-1);
        var before = info.AnalyzeWrite(first);

        for (var i = 0; i < Texts; i++)
        {
            _ = info.AnalyzeWrite(Insert(i));
        }

        Assert.Equal(before.Tables, info.AnalyzeWrite(new string(first)).Tables);
        Assert.Equal(before.UnknownTarget, info.AnalyzeWrite(new string(first)).UnknownTarget);
    }

    /// <summary>A bulk insert with its values inlined, about <see cref="TextLength"/> characters, unique per <paramref name="seed"/>.</summary>
    private static string Insert(int seed)
    {
        var sql = new StringBuilder("INSERT INTO \"Items\" (\"Id\") VALUES ").Append('(').Append(seed).Append(')');
        for (var row = 0; sql.Length < TextLength; row++)
        {
            sql.Append(", (").Append((seed * 100_000L) + row + 1_000_000_000L).Append(')');
        }

        return sql.ToString();
    }

    /// <summary>A read of a long inlined list of keys, unique per <paramref name="seed"/>.</summary>
    private static string Select(int seed)
    {
        var sql = new StringBuilder("SELECT \"i\".\"Id\" FROM \"Items\" AS \"i\" WHERE \"i\".\"Id\" IN (").Append(seed);
        for (var row = 0; sql.Length < TextLength; row++)
        {
            sql.Append(", ").Append((seed * 100_000L) + row + 1_000_000_000L);
        }

        return sql.Append(')').ToString();
    }
}
