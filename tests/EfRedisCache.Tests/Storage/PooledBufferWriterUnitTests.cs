using System.Buffers;
using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

public class PooledBufferWriterUnitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(4096)]
    public void Writes_across_growth_keep_every_byte_in_order(int initialCapacity)
    {
        using var writer = new PooledBufferWriter(initialCapacity);
        var expected = new ArrayBufferWriter<byte>();
        var random = new Random(7);
        for (var step = 0; step < 2_000; step++)
        {
            // Sizes from a byte to several times the initial capacity, through both GetSpan and GetMemory.
            var chunk = new byte[random.Next(1, 300)];
            random.NextBytes(chunk);
            var target = step % 2 == 0 ? writer.GetSpan(chunk.Length) : writer.GetMemory(chunk.Length).Span;
            Assert.True(target.Length >= chunk.Length);
            chunk.CopyTo(target);
            writer.Advance(chunk.Length);
            expected.Write(chunk);
        }

        Assert.Equal(expected.WrittenCount, writer.WrittenCount);
        Assert.True(expected.WrittenSpan.SequenceEqual(writer.WrittenSpan));
    }

    [Fact]
    public void Advancing_past_what_was_reserved_is_refused()
    {
        using var writer = new PooledBufferWriter(16);
        var reserved = writer.GetSpan(16).Length;
        Assert.Throws<InvalidOperationException>(() => writer.Advance(reserved + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
    }

    [Fact]
    public void A_result_many_times_the_first_buffer_round_trips()
    {
        var result = StorageTestData.Products(2_000);

        var read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result, int.MaxValue));

        StorageTestData.AssertEqual(result, read);
    }
}
