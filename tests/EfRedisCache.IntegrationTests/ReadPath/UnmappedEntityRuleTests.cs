using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A per-entity rule naming a type the context's model does not map (a DTO or view model taken for the entity, an
/// entity of another context) matches no table and does nothing: a <c>NeverCache</c> meant to keep data live then
/// lets <c>CacheAllQueries</c> cache it. The cache cannot refuse it at configuration time — one configuration may
/// serve several context types — so it says so, once per model and rule, when it first plans a query of that model.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UnmappedEntityRuleTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_rule_naming_a_type_the_model_does_not_map_is_reported_once()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs]);
        using var shop = new ShopHarness(redis, o =>
        {
            o.LoggerFactory = loggerFactory;
            o.CacheAllQueries = true;
            o.NeverCache<ProductSummary>(); // meant: never cache products
            o.CacheEntity<Category>(TimeSpan.FromMinutes(1)); // mapped: no warning
        });

        for (var i = 0; i < 3; i++)
        {
            await using var context = shop.NewContext();
            await context.Products.OrderBy(p => p.Id).ToListAsync();
            await context.Categories.OrderBy(c => c.Id).ToListAsync();
        }

        var warnings = logs.Collector.GetSnapshot().Where(r => r.Id.Name == "EntityRuleMatchesNoEntity").ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(nameof(ProductSummary), warning.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ShopContext), warning.Message, StringComparison.Ordinal);
        Assert.Contains("NeverCache", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>Not an entity of the shop's model: what an application might pass to <c>NeverCache</c> by mistake.</summary>
    private sealed class ProductSummary
    {
        public string? Name { get; set; }
    }
}
