using EfRedisCache.Configuration;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Configuration;

public sealed class OptionsValidationUnitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(400 * 24 * 3600)]
    public void Bad_default_ttl_throws_at_configuration_time(int seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.DefaultTtl = TimeSpan.FromSeconds(seconds)));
        Assert.Equal(nameof(RedisCacheAsideOptions.DefaultTtl), error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    [InlineData("app{")]
    [InlineData("}app")]
    [InlineData("app{}")]
    [InlineData("a}b{")]
    public void Bad_key_prefix_throws(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => CacheSettings.From(o => o.KeyPrefix = prefix));
        Assert.Equal(nameof(RedisCacheAsideOptions.KeyPrefix), error.ParamName);
    }

    [Fact]
    public void Odd_but_valid_key_prefixes_are_accepted()
    {
        Assert.Equal("{app}:v2/é", CacheSettings.From(o => o.KeyPrefix = "{app}:v2/é").KeyPrefix);
        Assert.Equal("app:{x}}", CacheSettings.From(o => o.KeyPrefix = "app:{x}}").KeyPrefix);
    }

    [Fact]
    public void Timeouts_and_sizes_are_range_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.RedisTimeout = TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.RedisTimeout = TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.MaxEntryBytes = 10));
        Assert.Equal(nameof(RedisCacheAsideOptions.LocalCacheMaxBytes), Assert.Throws<ArgumentOutOfRangeException>(() => CacheSettings.From(o => o.LocalCacheMaxBytes = -1)).ParamName);
        Assert.Equal(0, CacheSettings.From(o => o.LocalCacheMaxBytes = 0).LocalCacheMaxBytes);
        Assert.NotEqual(CacheSettings.From(o => o.LocalCacheMaxBytes = 0), CacheSettings.From(null));
    }

    [Fact]
    public void Equal_settings_are_equal_so_contexts_share_one_runtime()
    {
        var a = CacheSettings.From(o => { o.KeyPrefix = "x"; o.CacheEntity<object>(TimeSpan.FromMinutes(1)); });
        var b = CacheSettings.From(o => { o.KeyPrefix = "x"; o.CacheEntity<object>(TimeSpan.FromMinutes(1)); });
        var c = CacheSettings.From(o => { o.KeyPrefix = "x"; o.CacheEntity<object>(TimeSpan.FromMinutes(2)); });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a,b")]
    public void Bad_tags_throw_when_the_query_is_built(string tag)
    {
        var query = Array.Empty<int>().AsQueryable();
        Assert.Throws<ArgumentException>(() => query.Cacheable(TimeSpan.FromMinutes(1), tag));
    }

    [Fact]
    public void Non_positive_query_ttl_throws()
    {
        var query = Array.Empty<int>().AsQueryable();
        Assert.Throws<ArgumentOutOfRangeException>(() => query.Cacheable(TimeSpan.Zero));
    }

    [Fact]
    public void Invalid_redis_configuration_string_throws_with_the_string_named()
    {
        var builder = new DbContextOptionsBuilder();
        var error = Assert.Throws<ArgumentException>(() => builder.UseRedisCacheAside("localhost:6379,notAnOption=1"));
        Assert.Contains("localhost:6379,notAnOption=1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Applications log exceptions: the message names the string, but never its password.</summary>
    [Theory]
    [InlineData("localhost:6379,password=hunter2,notAnOption=1", "localhost:6379,password=*****,notAnOption=1")]
    [InlineData("localhost:6379, Password = hunter2 ,notAnOption=1", "localhost:6379, Password =*****,notAnOption=1")]
    [InlineData("password=hunter2,ssl=true", "password=*****,ssl=true")]
    public void Invalid_redis_configuration_string_is_named_without_its_password(string configuration, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new DbContextOptionsBuilder().UseRedisCacheAside(configuration));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The exception names the parameter the application passed the string as, as for every other bad argument.</summary>
    [Theory]
    [InlineData("localhost:6379,notAnOption=1")]
    [InlineData("localhost:99999")]
    [InlineData(",,,")]
    public void Invalid_redis_configuration_string_names_the_parameter_it_was_given_as(string configuration)
    {
        var error = Assert.Throws<ArgumentException>(() => new DbContextOptionsBuilder().UseRedisCacheAside(configuration));
        Assert.Equal("redisConfiguration", error.ParamName);
        Assert.Equal("redisConfiguration", Assert.Throws<ArgumentException>(() => new DbContextOptionsBuilder<DbContext>().UseRedisCacheAside(configuration)).ParamName);
    }

    [Fact]
    public void Empty_redis_configuration_throws()
    {
        Assert.Throws<ArgumentException>(() => new DbContextOptionsBuilder().UseRedisCacheAside(" "));
    }
}
