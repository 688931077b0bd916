using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Raw SQL with user-built <see cref="SqliteParameter"/>s: the same SQL text and the same CLR value can bind a
/// different SQLite value (the parameter's <see cref="SqliteParameter.SqliteType"/> or <see cref="SqliteParameter.Size"/>),
/// so the rows differ; every cached answer must equal the uncached one.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ParameterTypeKeyTests(RedisServerFixture redis)
{
    private const string BySku = "SELECT * FROM \"Products\" WHERE \"Sku\" = @sku";
    private const string ByName = "SELECT * FROM \"Products\" WHERE \"Name\" = @name";
    private static readonly Guid KeyboardSku = new("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    [Fact]
    public async Task Guid_parameter_bound_as_blob_and_as_text_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);
        SqliteParameter AsBlob() => new("@sku", KeyboardSku) { SqliteType = SqliteType.Blob };
        SqliteParameter AsText() => new("@sku", KeyboardSku);

        // The truth: EF Core stores GUIDs as text, so only the text binding finds the keyboard.
        Assert.Empty(await IdsAsync(shop.NewUncachedContext(), BySku, AsBlob()));
        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewUncachedContext(), BySku, AsText()));

        Assert.Empty(await IdsAsync(shop.NewContext(), BySku, AsBlob()));
        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewContext(), BySku, AsText()));
        Assert.Empty(await IdsAsync(shop.NewContext(), BySku, AsBlob()));
        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewContext(), BySku, AsText()));
    }

    [Fact]
    public async Task String_parameter_truncated_by_size_and_untruncated_never_share_an_entry()
    {
        using var shop = new ShopHarness(redis);
        SqliteParameter Truncated() => new("@name", "Keyboard and mouse") { Size = "Keyboard".Length };
        SqliteParameter Whole() => new("@name", "Keyboard and mouse");

        // The truth: Size truncates the bound text, so only the truncated value finds the keyboard.
        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewUncachedContext(), ByName, Truncated()));
        Assert.Empty(await IdsAsync(shop.NewUncachedContext(), ByName, Whole()));

        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewContext(), ByName, Truncated()));
        Assert.Empty(await IdsAsync(shop.NewContext(), ByName, Whole()));
        Assert.Equal([ShopSeed.KeyboardId], await IdsAsync(shop.NewContext(), ByName, Truncated()));
        Assert.Empty(await IdsAsync(shop.NewContext(), ByName, Whole()));
    }

    [Fact]
    public async Task Same_value_as_int_long_string_and_double_gives_the_uncached_rows()
    {
        using var shop = new ShopHarness(redis);

        // SQLite compares an INTEGER column with a TEXT value by type: 1 = '1' is false; 1 = 1.0 is true.
        object[] values = [ShopSeed.KeyboardId, (long)ShopSeed.KeyboardId, ShopSeed.KeyboardId.ToString(System.Globalization.CultureInfo.InvariantCulture), 1.0, 1m, (short)1, true];
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var value in values)
            {
                const string sql = "SELECT * FROM \"Products\" WHERE \"Id\" = @id";
                var truth = await IdsAsync(shop.NewUncachedContext(), sql, new SqliteParameter("@id", value));
                var cached = await IdsAsync(shop.NewContext(), sql, new SqliteParameter("@id", value));
                Assert.True(truth.SequenceEqual(cached), $"round {round}, {value.GetType().Name} {value}: truth [{string.Join(",", truth)}], cached [{string.Join(",", cached)}]");
            }
        }
    }

    private static async Task<List<int>> IdsAsync(ShopContext context, string sql, SqliteParameter parameter)
    {
        await using (context)
        {
            return await context.Products.FromSqlRaw(sql, parameter).AsNoTracking().Select(p => p.Id).OrderBy(id => id).Cacheable().ToListAsync();
        }
    }
}
