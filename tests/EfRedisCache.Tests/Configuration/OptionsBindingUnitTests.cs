using EfRedisCache.Configuration;
using Microsoft.Extensions.Configuration;

namespace EfRedisCache.Tests.Configuration;

/// <summary>Options bound from configuration (an <c>appsettings.json</c> section), as the README shows.</summary>
public sealed class OptionsBindingUnitTests
{
    [Fact]
    public void Every_setting_binds_from_a_configuration_section()
    {
        var section = Section(new Dictionary<string, string?>
        {
            ["EfRedisCache:DefaultTtl"] = "00:10:00",
            ["EfRedisCache:KeyPrefix"] = "shop",
            ["EfRedisCache:CacheAllQueries"] = "true",
            ["EfRedisCache:RedisTimeout"] = "00:00:00.250",
            ["EfRedisCache:MaxEntryBytes"] = "2097152",
            ["EfRedisCache:LocalCacheMaxBytes"] = "0",
            ["EfRedisCache:CircuitBreakerFailureThreshold"] = "5",
            ["EfRedisCache:CircuitBreakerBreakDuration"] = "00:00:10",
            ["EfRedisCache:StampedeProtection"] = "false",
            ["EfRedisCache:StampedeWaitTimeout"] = "00:00:02",
            ["EfRedisCache:EarlyRefresh"] = "false",
            ["EfRedisCache:RowLevelInvalidation"] = "false",
        });

        var settings = CacheSettings.From(section.Bind);

        Assert.Equal(TimeSpan.FromMinutes(10), settings.DefaultTtl);
        Assert.Equal("shop", settings.KeyPrefix);
        Assert.True(settings.CacheAllQueries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.RedisTimeout);
        Assert.Equal(2 * 1024 * 1024, settings.MaxEntryBytes);
        Assert.Equal(0, settings.LocalCacheMaxBytes);
        Assert.Equal(5, settings.CircuitBreakerFailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.CircuitBreakerBreakDuration);
        Assert.False(settings.StampedeProtection);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.StampedeWaitTimeout);
        Assert.False(settings.EarlyRefresh);
        Assert.False(settings.RowLevelInvalidation);
        Assert.Same(TimeProvider.System, settings.TimeProvider); // not in configuration: left as is
    }

    [Fact]
    public void A_bad_value_in_configuration_fails_at_configuration_time_naming_the_setting()
    {
        var section = Section(new Dictionary<string, string?> { ["EfRedisCache:LocalCacheMaxBytes"] = "-1" });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(section.Bind));
        Assert.Equal(nameof(RedisCacheAsideOptions.LocalCacheMaxBytes), error.ParamName);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("EfRedisCache");
}
