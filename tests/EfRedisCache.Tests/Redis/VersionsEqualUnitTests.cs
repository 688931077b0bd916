using System.Text;
using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Redis;

public sealed class VersionsEqualUnitTests
{
    // Replies arrive as raw bytes; these tests build values the same way.
    private static RedisValue Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static RedisValue[] Versions(params string?[] texts)
        => Array.ConvertAll(texts, text => text is null ? RedisValue.Null : Bytes(text));

    [Theory]
    [InlineData("1", new[] { "1" })]
    [InlineData("4294967296,17,3", new[] { "4294967296", "17", "3" })]
    [InlineData("-5,0", new[] { "-5", "0" })]
    public void Equal_lists_match(string stored, string[] versions)
        => Assert.True(RedisCacheStore.VersionsEqual(Bytes(stored), Versions(versions)));

    [Theory]
    [InlineData("12", new[] { "1" })] // a prefix of the stored version is not that version
    [InlineData("1", new[] { "12" })]
    [InlineData("1,2", new[] { "1" })] // more stored than read
    [InlineData("1", new[] { "1", "2" })] // fewer stored than read
    [InlineData("1,", new[] { "1" })]
    [InlineData("1,2", new[] { "1", "3" })]
    [InlineData("-5", new[] { "5" })]
    [InlineData("012", new[] { "12" })] // texts, not numbers
    [InlineData("", new[] { "1" })]
    public void Different_lists_do_not_match(string stored, string[] versions)
        => Assert.False(RedisCacheStore.VersionsEqual(Bytes(stored), Versions(versions)));

    [Fact]
    public void A_missing_version_never_matches()
    {
        Assert.False(RedisCacheStore.VersionsEqual(Bytes("1,2"), Versions("1", null)));
        Assert.False(RedisCacheStore.VersionsEqual(Bytes(",2"), Versions(null, "2")));
    }

    [Fact]
    public void Values_held_as_strings_or_numbers_compare_by_their_text()
    {
        Assert.True(RedisCacheStore.VersionsEqual("4294967296,7", [4294967296L, "7"]));
        Assert.False(RedisCacheStore.VersionsEqual("4294967296,7", [4294967296L, 8L]));
    }

    [Fact]
    public void Lists_longer_than_the_stack_buffer_compare_like_short_ones()
    {
        // 300 dependencies (a list tagged per item) take the stored text past 4 KB.
        var versions = Enumerable.Range(0, 300).Select(i => (4_503_599_627_370_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var stored = string.Join(',', versions);
        Assert.True(Encoding.UTF8.GetByteCount(stored) > 4096);
        Assert.True(RedisCacheStore.VersionsEqual(Bytes(stored), Versions(versions)));

        var moved = (string[])versions.Clone();
        moved[299] = "1";
        Assert.False(RedisCacheStore.VersionsEqual(Bytes(stored), Versions(moved)));
        Assert.False(RedisCacheStore.VersionsEqual(Bytes(stored + ",1"), Versions(versions)));
    }

    [Fact]
    public void An_over_long_version_is_not_a_match()
        => Assert.False(RedisCacheStore.VersionsEqual(Bytes(new string('9', 40)), Versions(new string('9', 40))));

    [Fact]
    public void A_hit_compares_without_allocating()
    {
        var stored = Bytes("4294967296,17,4503599627370495,3");
        var versions = Versions("4294967296", "17", "4503599627370495", "3");
        RedisCacheStore.VersionsEqual(stored, versions); // warm up the JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        var equal = RedisCacheStore.VersionsEqual(stored, versions);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(equal);
        Assert.Equal(0, allocated);
    }
}
