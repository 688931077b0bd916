using System.Runtime.CompilerServices;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// What README ("No cross-talk") tells a team that must know what lands in Redis: keys hold no SQL and no parameter
/// values, with one exception it has to name — a key lookup on an integer key depends on its row's version key, named
/// by that integer (docs/design.md, "Row versions for key lookups"), so the looked-up value is in a key name.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisKeyContentTests(RedisServerFixture redis)
{
    private const int LookedUpId = 987654321;
    private const string FilteredName = "needle-in-the-parameters";

    [Fact]
    public async Task Redis_keys_hold_no_parameter_value_but_the_integer_key_of_a_key_lookup_and_README_says_so()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await context.Products.Where(p => p.Name == FilteredName).Cacheable().ToListAsync();
            await context.Products.Where(p => p.Id == LookedUpId).Cacheable().ToListAsync();
        }

        var keys = KeysUnder(shop.KeyPrefix);
        Assert.DoesNotContain(keys, k => k.Contains(FilteredName, StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
        var withId = keys.Where(k => k.Contains(LookedUpId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList();
        Assert.Single(withId);
        Assert.EndsWith($":t:products:r:{LookedUpId}", withId[0], StringComparison.Ordinal);

        Assert.Contains(
            "Redis keys hold no SQL and no parameter values but one: the integer primary key a key lookup reads or a save writes",
            File.ReadAllText(ReadmePath()),
            StringComparison.Ordinal);
    }

    private List<string> KeysUnder(string prefix)
        => [.. redis.Connection.GetServer(redis.Connection.GetEndPoints()[0])
            .Keys(pattern: RedisServerFixture.KeyStart(prefix) + ":*", pageSize: 1000)
            .Select(k => (string)k!)];

    private static string ReadmePath([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "README.md"));
}
