using EfRedisCache.Keys;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Keys;

public sealed class ClusterHashTagUnitTests
{
    [Theory]
    [InlineData("efrc", "{efrc}")]
    [InlineData("shop:v2", "{shop:v2}")]
    [InlineData("{app}:v2/é", "{app}:v2/é")]
    [InlineData("app:{cache}", "app:{cache}")]
    [InlineData("app:{x}}", "app:{x}}")]
    public void Keys_start_with_the_prefix_as_a_hash_tag_unless_it_holds_one(string prefix, string keyStart)
    {
        Assert.Equal(keyStart, ClusterHashTag.KeyStart(prefix));
    }

    [Theory]
    [InlineData("efrc", false)]
    [InlineData("{}", false)]
    [InlineData("a{}b{c}", false)] // Redis looks at the first '{' only: its tag is empty, so the whole name is hashed.
    [InlineData("a{", false)]
    [InlineData("}a{b}", true)]
    [InlineData("{a}", true)]
    public void A_hash_tag_follows_redis_clusters_rule(string prefix, bool holds)
    {
        Assert.Equal(holds, ClusterHashTag.Holds(prefix));
    }

    [Theory]
    [InlineData("efrc", "efrc")]
    [InlineData("app:{cache}", "cache")]
    public void Every_key_name_carries_the_same_hash_tag(string prefix, string tag)
    {
        var names = new RedisKeyNames(prefix);
        RedisKey[] keys =
        [
            names.GlobalEpoch, names.Entry("0123abcd"), names.Lock("0123abcd"), names.DatabaseEpoch("db"),
            names.DatabaseWrites("db"), names.Table("db", "t{x}"), names.TableBulk("db", "t"), names.Row("db", "t", "7"),
            (RedisKey)(names.RowPrefix("db", "t") + "8"), names.Tag("{catalog}"),
        ];

        Assert.All(keys, key => Assert.Equal(tag, TagOf(key!)));
    }

    /// <summary>Redis Cluster's rule, as the server applies it to a whole key name.</summary>
    private static string TagOf(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }
}
