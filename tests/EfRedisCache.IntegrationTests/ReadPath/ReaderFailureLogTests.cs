using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// README promises that the cache's log messages never contain SQL or parameter values. A miss whose provider reader
/// throws while the cache records it (a text cell read as a date) is not stored, and the reason is logged (event
/// 1003): the provider's exception message, which the application gets anyway, quotes the offending value — here a
/// parameter's, or a row's — so the reason must not repeat it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ReaderFailureLogTests(RedisServerFixture redis)
{
    private const string Secret = "card-4111-1111-1111-1111";

    [Fact]
    public async Task A_reader_failure_on_a_miss_logs_neither_the_parameter_value_nor_the_row_value_it_quotes()
    {
        var logs = new FakeLoggerProvider();
        using var loggerFactory = new LoggerFactory([logs], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        using var shop = new ShopHarness(redis, o => o.LoggerFactory = loggerFactory);
        await using (var context = shop.NewUncachedContext())
        {
            await context.Database.ExecuteSqlAsync($"UPDATE \"Products\" SET \"Name\" = {Secret + "-row"} WHERE \"Id\" = (SELECT MIN(\"Id\") FROM \"Products\")");
        }

        await using (var context = shop.NewContext())
        {
            // The application gets the provider's exception, value and all, as it would without the cache.
            var fromParameter = await Assert.ThrowsAsync<FormatException>(
                () => context.Database.SqlQuery<DateTime>($"SELECT {Secret} AS \"Value\"").Cacheable().ToListAsync());
            Assert.Contains(Secret, fromParameter.Message, StringComparison.Ordinal);
            var fromRow = await Assert.ThrowsAsync<FormatException>(
                () => context.Database.SqlQuery<DateTime>($"SELECT \"Name\" AS \"Value\" FROM \"Products\" ORDER BY \"Id\"").Cacheable().ToListAsync());
            Assert.Contains(Secret, fromRow.Message, StringComparison.Ordinal);
        }

        var records = logs.Collector.GetSnapshot();
        Assert.Equal(2, records.Count(r => r.Id.Name == "EntryNotStored"));
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(Secret, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, r.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, string.Join(";", r.StructuredState?.Select(s => s.Value) ?? []), StringComparison.Ordinal);
        });
    }
}
