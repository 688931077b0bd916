using System.Globalization;
using System.Text.RegularExpressions;
using EfRedisCache.Interception;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Interception;

public sealed class QueryShapeTaggerUnitTests
{
    [Fact]
    public void The_tag_of_a_query_with_literal_values_is_the_same_in_every_culture()
    {
        // Processes (or requests) in other cultures must send one SQL text, so they share the entry and its stampede lock.
        using var context = new ShapeContext(new DbContextOptionsBuilder<ShapeContext>().UseSqlite("Data Source=:memory:").Options);
        var query = context.Items.Where(i => i.Price > 1.5m && i.At > new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc)).Expression;
        var original = CultureInfo.CurrentCulture;
        var tags = new List<string>();
        try
        {
            foreach (var culture in new[] { "en-US", "de-DE", "ar-SA" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                var tagged = QueryShapeTagger.Instance.QueryCompilationStarting(query, null!).ToString();
                tags.Add(Regex.Match(tagged, Regex.Escape(QueryShapeTagger.TagPrefix) + "[0-9a-f]{16}").Value);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.NotEqual("", tags[0]);
        Assert.All(tags, tag => Assert.Equal(tags[0], tag));
    }
}
