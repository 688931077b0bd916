using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Key lookups through an inheritance hierarchy: a TPT base set whose query reads the base table alone, a TPT or
/// TPC derived set. Each must die when the row is saved as its derived type, through SaveChanges, ExecuteUpdate
/// on the derived set, or raw SQL on the table that holds the column.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InheritanceKeyLookupTests(RedisServerFixture redis)
{
    public static TheoryData<string> Writes => ["save", "execute update", "raw sql"];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_tpt_base_set_key_lookup_dies_when_the_derived_row_is_written(string write)
    {
        using var shop = new ShopHarness(redis);
        static Task<string> Make(ShopContext c) => c.Vehicles.Where(v => v.Id == 1).Select(v => v.Make).Cacheable().SingleAsync();
        await WarmAsync(shop, Make);

        await using (var writer = shop.NewContext())
        {
            switch (write)
            {
                case "save":
                    (await writer.Set<Car>().SingleAsync(c => c.Id == 1)).Make = "Saab";
                    await writer.SaveChangesAsync();
                    break;
                case "execute update":
                    await writer.Set<Car>().Where(c => c.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(c => c.Make, "Saab"));
                    break;
                default:
                    await writer.Database.ExecuteSqlRawAsync("UPDATE \"Vehicles\" SET \"Make\" = 'Saab' WHERE \"Id\" = 1");
                    break;
            }
        }

        await using var reader = shop.NewContext();
        Assert.Equal("Saab", await Make(reader));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_tpc_derived_set_key_lookup_dies_when_the_row_is_written(string write)
    {
        using var shop = new ShopHarness(redis);
        static Task<string> Name(ShopContext c) => c.Set<Dog>().Where(d => d.Id == 1).Select(d => d.Name).Cacheable().SingleAsync();
        await WarmAsync(shop, Name);

        await using (var writer = shop.NewContext())
        {
            switch (write)
            {
                case "save":
                    (await writer.Animals.SingleAsync(a => a.Id == 1)).Name = "Max";
                    await writer.SaveChangesAsync();
                    break;
                case "execute update":
                    await writer.Set<Dog>().Where(d => d.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, "Max"));
                    break;
                default:
                    await writer.Database.ExecuteSqlRawAsync("UPDATE \"Dogs\" SET \"Name\" = 'Max' WHERE \"Id\" = 1");
                    break;
            }
        }

        await using var reader = shop.NewContext();
        Assert.Equal("Max", await Name(reader));
    }

    [Theory]
    [InlineData("count")]
    [InlineData("key lookup")]
    public async Task Deleting_a_tpt_base_row_with_raw_sql_kills_reads_of_the_derived_table_the_database_cascaded_to(string read)
    {
        using var shop = new ShopHarness(redis);
        async Task<string> Payload(ShopContext c) => read == "count"
            ? (await c.Trucks.Select(t => t.PayloadKg).Cacheable().CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (await c.Trucks.Where(t => t.Id == 2).Select(t => (int?)t.PayloadKg).Cacheable().SingleOrDefaultAsync())?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        await WarmAsync(shop, Payload);

        await using (var writer = shop.NewContext())
        {
            await writer.Database.ExecuteSqlRawAsync("DELETE FROM \"Vehicles\" WHERE \"Id\" = 2"); // the linking key cascades to Trucks
        }

        await using var reader = shop.NewContext();
        Assert.Equal(read == "count" ? "0" : "none", await Payload(reader));
    }

    private static async Task WarmAsync(ShopHarness shop, Func<ShopContext, Task<string>> read)
    {
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await read(context);
        }
    }
}
