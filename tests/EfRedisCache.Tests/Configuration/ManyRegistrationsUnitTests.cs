using EfRedisCache.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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
}
