using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Key lookups depend on their row's version only: a save that changes the row through another entity type
/// mapped to the same table (an owned type split into the owner's table, a TPH subtype) must still kill them.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RowLookupThroughMappingsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Saving_only_an_owned_type_in_the_owners_table_kills_the_owners_key_lookup()
    {
        using var shop = new ShopHarness(redis);
        static Task<string> City(ShopContext c) => c.Customers.Where(x => x.Id == ShopSeed.AliceId).Select(x => x.Address!.City).Cacheable().SingleAsync();

        string before;
        await using (var context = shop.NewContext())
        {
            before = await City(context);
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(before, await City(context)); // a hit
            var alice = await context.Customers.SingleAsync(c => c.Id == ShopSeed.AliceId);
            alice.Address!.City = "Changed through the owned type";
            await context.SaveChangesAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal("Changed through the owned type", await City(context));
        }
    }

    [Fact]
    public async Task Deleting_an_owner_keeps_the_key_lookup_of_another_owner_whose_owned_type_shares_its_table()
    {
        // The owned type's foreign key to its owner cascades within one row, not to other rows of the table: the
        // delete must not take it for a cascade into its own table and kill every key lookup of it.
        using var shop = new ShopHarness(redis);
        static Task<string> City(ShopContext c) => c.Customers.Where(x => x.Id == ShopSeed.AliceId).Select(x => x.Address!.City).Cacheable().SingleAsync();

        await using (var context = shop.NewContext())
        {
            await City(context);
        }

        await using (var writer = shop.NewContext())
        {
            writer.Customers.Remove(await writer.Customers.SingleAsync(c => c.Id == ShopSeed.BobId));
            await writer.SaveChangesAsync();
        }

        shop.Counter.Reset();
        await using (var context = shop.NewContext())
        {
            await City(context);
        }

        Assert.Equal(0, shop.Counter.Queries);
    }

    [Fact]
    public async Task Saving_a_tph_subtype_column_kills_the_key_lookup_through_the_base_type()
    {
        using var shop = new ShopHarness(redis);
        static Task<decimal> Amount(ShopContext c) => c.Payments.Where(p => p.Id == 1).Select(p => p.Amount).Cacheable().SingleAsync();

        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            Assert.Equal(50m, await Amount(context));
        }

        await using (var context = shop.NewContext())
        {
            var card = await context.Payments.OfType<CardPayment>().SingleAsync(p => p.Id == 1);
            card.Amount = 51m;
            card.Last4 = "0000";
            await context.SaveChangesAsync();
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(51m, await Amount(context));
        }
    }
}
