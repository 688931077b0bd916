using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A save that changes only a JSON document (<c>ToJson</c>) of a row keyed by a strongly-typed id must bump that row
/// for a read model that keys the table by a plain integer, as a save of the row's own columns does.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class JsonDocumentAcrossModelsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_save_of_a_json_document_through_a_model_with_a_converted_key_kills_the_other_models_key_lookup()
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        void Cache(RedisCacheAsideOptions o)
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        }

        var counter = new DatabaseCommandCounter();
        SpecsReadContext Reader() => new(database.CreateOptions<SpecsReadContext>(b => b.UseRedisCacheAside(redis.Connection, Cache).AddInterceptors(counter)));
        static Task<string> SpecsOf(SpecsReadContext c) => c.Gadgets.Where(g => g.Id == 1).Select(g => g.Specs).Cacheable().SingleAsync();

        await using (var context = new SpecifiedGadgetContext(database.CreateOptions<SpecifiedGadgetContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.Gadgets.Add(new SpecifiedGadget { Id = new GadgetId(1), Name = "lamp", Specs = new GadgetSpecs { Watts = 40 } });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Reader();
            Assert.Contains("40", await SpecsOf(context));
        }

        Assert.Equal(1, counter.Queries);

        await using (var writer = new SpecifiedGadgetContext(database.CreateOptions<SpecifiedGadgetContext>(b => b.UseRedisCacheAside(redis.Connection, Cache))))
        {
            (await writer.Gadgets.SingleAsync(g => g.Id == new GadgetId(1))).Specs.Watts = 60;
            await writer.SaveChangesAsync();
        }

        await using (var context = Reader())
        {
            Assert.Contains("60", await SpecsOf(context));
        }
    }
}
