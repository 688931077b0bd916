using EfRedisCache.Configuration;
using EfRedisCache.Tests.Interception;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Configuration;

/// <summary>
/// A configuration callback that makes a new <c>LoggerFactory</c> per context builds a runtime per context, kept for
/// the life of the process (README, "Options"). The application must hear of it: a warning, once, through the
/// registration's logger.
/// </summary>
public sealed class ManyRegistrationsUnitTests
{
    [Fact]
    public void A_new_LoggerFactory_per_registration_is_warned_about_once()
    {
        // No Redis needed: the runtimes are built at configuration time, the connection is never used.
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        var prefix = "many" + Guid.NewGuid().ToString("N");
        var collector = new FakeLogCollector();
        var factories = new List<ILoggerFactory>();
        try
        {
            for (var i = 0; i < CacheRuntimeRegistry.ManyRegistrations + 5; i++)
            {
                var factory = new LoggerFactory([new FakeLoggerProvider(collector)]);
                factories.Add(factory);
                new DbContextOptionsBuilder().UseRedisCacheAside(multiplexer, o =>
                {
                    o.KeyPrefix = prefix;
                    o.LoggerFactory = factory;
                });
            }
        }
        finally
        {
            factories.ForEach(f => f.Dispose());
        }

        var warning = Assert.Single(collector.GetSnapshot(), r => r.Id.Name == "ManyRegistrations");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(prefix, warning.Message, StringComparison.Ordinal);
        Assert.Contains("LoggerFactory", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_settings_on_every_call_are_one_registration_and_no_warning()
    {
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        var collector = new FakeLogCollector();
        using var factory = new LoggerFactory([new FakeLoggerProvider(collector)]);
        var prefix = "one" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < CacheRuntimeRegistry.ManyRegistrations + 5; i++)
        {
            new DbContextOptionsBuilder().UseRedisCacheAside(multiplexer, o =>
            {
                o.KeyPrefix = prefix;
                o.LoggerFactory = factory;
            });
        }

        Assert.DoesNotContain(collector.GetSnapshot(), r => r.Id.Name == "ManyRegistrations");
    }

    [Fact]
    public void Without_a_LoggerFactory_the_warning_is_said_once_through_the_first_context_logger()
    {
        // A new TimeProvider per call and no LoggerFactory: there is no logger when the 20th registration is made, and
        // memory grew without a word (found by review). The first context that uses the cache after it says it, through
        // the application's logger factory as other events without LoggerFactory.
        using var multiplexer = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var collector = new FakeLogCollector();
        using var applicationLogs = new LoggerFactory([new FakeLoggerProvider(collector)]);
        var prefix = "unsaid" + Guid.NewGuid().ToString("N");
        var registrations = new List<DbContextOptions<ShapeContext>>();
        for (var i = 0; i < CacheRuntimeRegistry.ManyRegistrations + 5; i++)
        {
            registrations.Add(new DbContextOptionsBuilder<ShapeContext>()
                .UseSqlite(connection)
                .UseLoggerFactory(applicationLogs)
                .UseRedisCacheAside(multiplexer, o =>
                {
                    o.KeyPrefix = prefix;
                    o.TimeProvider = new FakeTimeProvider();
                })
                .Options);
        }

        using (var context = new ShapeContext(registrations[0]))
        {
            context.Database.EnsureCreated();
        }

        foreach (var options in new[] { registrations[0], registrations[^1], registrations[0] })
        {
            using var context = new ShapeContext(options);
            Assert.Equal(0, context.Items.Count());
        }

        var warning = Assert.Single(collector.GetSnapshot(), r => r.Id.Name == "ManyRegistrations");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(prefix, warning.Message, StringComparison.Ordinal);
    }
}
