using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// With <c>standard_conforming_strings</c> off, PostgreSQL reads a backslash in an ordinary string as an escape:
/// <c>'it\'s'</c> is one string, where the SQL standard ends it after the backslash. The scanner cannot know the
/// session's setting (a connection string's <c>Options</c>, a <c>SET</c> earlier in the session or in the command),
/// and a write after such a string must not hide in what one reading takes for text.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlBackslashQuoteTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task A_write_after_a_backslash_quote_in_a_session_without_standard_strings_invalidates_its_table()
    {
        using var shop = new ShopHarness(redis.Connection, redis.NewKeyPrefix(), database: postgres.NewDatabase());
        var products = ShopQueries.Products(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0) = (products.Warm(), categories.Warm());

        var nonStandard = new NpgsqlConnectionStringBuilder(shop.Database.ConnectionString) { Options = "-c standard_conforming_strings=off" }.ToString();
        var options = new DbContextOptionsBuilder<ShopContext>().UseNpgsql(nonStandard)
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = shop.KeyPrefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
            }).Options;
        // Standard strings: 'Keys\' ends after the backslash, and from the next quote on to the one in the comment the
        // scanner reads text, where PostgreSQL runs the UPDATE of Categories.
        var sql = $"UPDATE \"Products\" SET \"Name\" = 'Keys\\'s' WHERE \"Id\" = {ShopSeed.KeyboardId}; " +
            $"UPDATE \"Categories\" SET \"Name\" = \"Name\" || chr(33) WHERE \"Id\" = {ShopSeed.HardwareCategoryId}; -- '";
        await using (var writer = new ShopContext(options))
        {
            await writer.Database.ExecuteSqlRawAsync(sql);
        }

        products.AssertInvalidatedAndFresh(p0);
        categories.AssertInvalidatedAndFresh(c0);
    }
}
