using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Two context types over one table (a read model with plain integer ids, a write model with strongly-typed ones):
/// the read model's key lookups depend on row versions, so a save through the write model must bump them too,
/// even though its own key, behind a value converter, gives it no row-level lookups of its own.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RowLookupAcrossModelsTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    [InlineData("add")]
    public async Task A_save_through_a_model_with_a_converted_key_kills_the_other_models_key_lookup(string write)
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        GadgetReadContext Reader() => new(Cached<GadgetReadContext>(database, prefix));
        GadgetWriteContext Writer() => new(Cached<GadgetWriteContext>(database, prefix));
        static Task<string?> NameOf(GadgetReadContext c, int id) => c.Gadgets.Where(g => g.Id == id).Select(g => g.Name).Cacheable().SingleOrDefaultAsync();

        await using (var context = new GadgetReadContext(database.CreateOptions<GadgetReadContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.Gadgets.AddRange(new Gadget { Id = 1, Name = "lamp" }, new Gadget { Id = 2, Name = "fan" });
            await context.SaveChangesAsync();
        }

        var id = write == "add" ? 3 : 1;
        for (var i = 0; i < 2; i++)
        {
            await using var context = Reader();
            Assert.Equal(write == "add" ? null : "lamp", await NameOf(context, id));
        }

        await using (var writer = Writer())
        {
            switch (write)
            {
                case "update":
                    (await writer.TypedGadgets.SingleAsync(g => g.Id == new GadgetId(1))).Name = "desk lamp";
                    break;
                case "delete":
                    writer.TypedGadgets.Remove(await writer.TypedGadgets.SingleAsync(g => g.Id == new GadgetId(1)));
                    break;
                default:
                    writer.TypedGadgets.Add(new TypedGadget { Id = new GadgetId(3), Name = "heater" });
                    break;
            }

            await writer.SaveChangesAsync();
        }

        await using (var context = Reader())
        {
            Assert.Equal(write switch { "update" => "desk lamp", "delete" => null, _ => "heater" }, await NameOf(context, id));
        }
    }

    [Fact]
    public async Task A_save_through_a_model_with_a_composite_key_kills_the_other_models_key_lookup()
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        GadgetReadContext Reader() => new(Cached<GadgetReadContext>(database, prefix));
        static Task<string> NameOf(GadgetReadContext c) => c.Gadgets.Where(g => g.Id == 1).Select(g => g.Name).Cacheable().SingleAsync();

        await using (var context = new TenantGadgetContext(database.CreateOptions<TenantGadgetContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.TenantGadgets.Add(new TenantGadget { TenantId = 4, Id = 1, Name = "lamp" });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Reader();
            Assert.Equal("lamp", await NameOf(context));
        }

        await using (var writer = new TenantGadgetContext(Cached<TenantGadgetContext>(database, prefix)))
        {
            (await writer.TenantGadgets.SingleAsync(g => g.TenantId == 4 && g.Id == 1)).Name = "desk lamp";
            await writer.SaveChangesAsync();
        }

        await using (var context = Reader())
        {
            Assert.Equal("desk lamp", await NameOf(context));
        }
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task A_save_through_a_model_keyed_by_a_guid_column_kills_the_other_models_key_lookup(string write)
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        GadgetReadContext Reader() => new(Cached<GadgetReadContext>(database, prefix));
        static Task<string?> NameOf(GadgetReadContext c) => c.Gadgets.Where(g => g.Id == 1).Select(g => g.Name).Cacheable().SingleOrDefaultAsync();

        var publicId = Guid.NewGuid();
        await using (var context = new PublicGadgetContext(database.CreateOptions<PublicGadgetContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.PublicGadgets.Add(new PublicGadget { PublicId = publicId, Id = 1, Name = "lamp" });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Reader();
            Assert.Equal("lamp", await NameOf(context));
        }

        await using (var writer = new PublicGadgetContext(Cached<PublicGadgetContext>(database, prefix)))
        {
            var gadget = await writer.PublicGadgets.SingleAsync(g => g.PublicId == publicId);
            if (write == "update")
            {
                gadget.Name = "desk lamp";
            }
            else
            {
                writer.PublicGadgets.Remove(gadget);
            }

            await writer.SaveChangesAsync();
        }

        await using (var context = Reader())
        {
            Assert.Equal(write == "update" ? "desk lamp" : null, await NameOf(context));
        }
    }

    /// <summary>Options of a context of <typeparamref name="TContext"/> on <paramref name="database"/>, cached under <paramref name="prefix"/>: every model in a test shares them.</summary>
    private DbContextOptions<TContext> Cached<TContext>(SqliteTestDatabase database, string prefix)
        where TContext : DbContext
        => database.CreateOptions<TContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        }));
}
