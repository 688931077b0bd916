using System.Text.Json;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NpgsqlTypes;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>
/// README "Limits": values outside the codec — here a range and a <c>jsonb</c> document read as
/// <see cref="JsonDocument"/> — are not cached. A result holding one is read from the database every time, right,
/// and said (<c>EntryNotStored</c>); a parameter of such a type makes its query uncacheable (<c>QueryNotCacheable</c>);
/// the rest of the table's queries are cached as usual. Never an exception, never a wrong row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlUncodableValueTests(RedisServerFixture redis, PostgresFixture postgres) : IDisposable
{
    private readonly PostgresTestDatabase _database = postgres.NewDatabase();
    private readonly DatabaseCommandCounter _counter = new();
    private readonly FakeLoggerProvider _logs = new();
    private readonly string _prefix = redis.NewKeyPrefix();
    private LoggerFactory? _loggerFactory;

    [Fact]
    public async Task A_result_holding_a_range_or_a_json_document_is_read_from_the_database_every_time_and_right()
    {
        await SeedAsync();

        for (var read = 1; read <= 3; read++)
        {
            await using var context = NewContext();
            var bookings = await context.Bookings.AsNoTracking().OrderBy(b => b.Id).Cacheable().ToListAsync();
            Assert.Equal(["Front row|[1,5)|aisle", "Balcony|[10,20)|window"], bookings.Select(Describe));
            Assert.Equal(read, _counter.Queries); // never a hit
            bookings.ForEach(b => b.Dispose());
        }

        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Name == "EntryNotStored");

        // The same table's codec-friendly queries are cached as usual.
        _counter.Reset();
        for (var read = 0; read < 2; read++)
        {
            await using var context = NewContext();
            Assert.Equal(["Front row", "Balcony"], await context.Bookings.OrderBy(b => b.Id).Select(b => b.Name).Cacheable().ToListAsync());
        }

        Assert.Equal(1, _counter.Queries);
    }

    [Fact]
    public async Task A_range_parameter_makes_its_query_uncacheable_and_every_read_sees_the_latest_write()
    {
        await SeedAsync();
        var front = new NpgsqlRange<int>(1, true, 5, false);

        async Task<List<string>> NamesAsync()
        {
            await using var context = NewContext();
            return await context.Bookings.Where(b => b.Seats == front).Select(b => b.Name).Cacheable().ToListAsync();
        }

        Assert.Equal(["Front row"], await NamesAsync());
        Assert.Equal(["Front row"], await NamesAsync());
        Assert.Equal(2, _counter.Queries); // not cached
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Name == "QueryNotCacheable");

        await using (var writer = NewContext())
        {
            (await writer.Bookings.SingleAsync(b => b.Name == "Front row")).Name = "Stalls";
            await writer.SaveChangesAsync();
        }

        Assert.Equal(["Stalls"], await NamesAsync());
    }

    public void Dispose()
    {
        _database.Dispose();
        _loggerFactory?.Dispose();
        _logs.Dispose();
    }

    private static string Describe(Booking booking)
        => $"{booking.Name}|{booking.Seats}|{booking.Details.RootElement.GetProperty("seat").GetString()}";

    private BookingContext NewContext() => new(_database.CreateOptions<BookingContext>(b => b
        .UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = _prefix;
            // One factory for every context: options that differ make a cache registration of their own.
            o.LoggerFactory = _loggerFactory ??= new LoggerFactory([_logs], new LoggerFilterOptions { MinLevel = LogLevel.Debug });
        })
        .AddInterceptors(_counter)));

    private async Task SeedAsync()
    {
        await using var context = new BookingContext(_database.CreateOptions<BookingContext>());
        await context.Database.EnsureCreatedAsync();
        context.Bookings.AddRange(
            new Booking { Name = "Front row", Seats = new NpgsqlRange<int>(1, true, 5, false), Details = JsonDocument.Parse("""{"seat":"aisle"}""") },
            new Booking { Name = "Balcony", Seats = new NpgsqlRange<int>(10, true, 20, false), Details = JsonDocument.Parse("""{"seat":"window"}""") });
        await context.SaveChangesAsync();
        _counter.Reset();
    }
}
