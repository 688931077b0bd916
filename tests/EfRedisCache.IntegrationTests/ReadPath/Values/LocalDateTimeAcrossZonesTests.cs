using System.Buffers;
using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.Storage;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A <see cref="DateTime"/> of kind <see cref="DateTimeKind.Local"/> is an instant shown in the reading process's
/// zone: Npgsql's legacy timestamp mode reads <c>timestamptz</c> so, Microsoft.Data.Sqlite reads text with an offset
/// so. Two application servers in two zones share the Redis; the database gives each its own zone's time of the same
/// instant, so a cell recorded in one must read in the other as that instant in the other's zone, never as the first
/// one's wall clock. Npgsql's switch is process-wide and read once, so the cache's codec is tested directly here, with
/// the value the providers make (<see cref="DateTime.Parse(string, IFormatProvider)"/> of text with an offset).
/// </summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class LocalDateTimeAcrossZonesTests
{
    [Theory]
    [InlineData("2024-07-02T03:04:05.1234567+02:00")]
    [InlineData("2024-01-15T23:30:00Z")]
    [InlineData("2024-11-03T05:30:00Z")] // 01:30 in New York, the second time that hour that day (daylight saving ends)
    [InlineData("2024-11-03T06:30:00Z")] // 01:30 in New York, the first time (the hour after, in standard time)
    public async Task A_local_time_recorded_in_one_zone_reads_in_another_as_the_same_instant_in_that_zone(string text)
    {
        byte[] recorded = [];
        await ProcessTimeZone.RunInAsync("Asia/Tokyo", () =>
        {
            recorded = Write(DateTime.Parse(text, CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        });

        await ProcessTimeZone.RunInAsync("America/New_York", () =>
        {
            var database = DateTime.Parse(text, CultureInfo.InvariantCulture);
            var cached = Assert.IsType<DateTime>(Read(recorded));

            Assert.Equal(DateTimeKind.Local, cached.Kind);
            Assert.Equal(database, cached);
            Assert.Equal(database.ToUniversalTime(), cached.ToUniversalTime());
            return Task.CompletedTask;
        });
    }

    /// <summary>Both times of an hour that daylight saving repeats, recorded and read in that zone, stay apart.</summary>
    [Fact]
    public async Task The_two_times_of_a_repeated_hour_read_back_as_the_instants_they_were()
    {
        await ProcessTimeZone.RunInAsync("America/New_York", () =>
        {
            foreach (var text in new[] { "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z" })
            {
                var database = DateTime.Parse(text, CultureInfo.InvariantCulture);
                var cached = Assert.IsType<DateTime>(Read(Write(database)));

                Assert.Equal(database.ToUniversalTime(), cached.ToUniversalTime());
            }

            return Task.CompletedTask;
        });
    }

    /// <summary><see cref="DateTime.MinValue"/> and <see cref="DateTime.MaxValue"/> stand for infinity: no zone moves them.</summary>
    [Fact]
    public async Task The_first_and_last_local_times_read_back_as_they_were_in_another_zone()
    {
        byte[] first = [], last = [];
        await ProcessTimeZone.RunInAsync("Asia/Tokyo", () =>
        {
            first = Write(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Local));
            last = Write(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Local));
            return Task.CompletedTask;
        });

        await ProcessTimeZone.RunInAsync("America/New_York", () =>
        {
            Assert.Equal(DateTime.MinValue, Read(first));
            Assert.Equal(DateTime.MaxValue, Read(last));
            return Task.CompletedTask;
        });
    }

    private static byte[] Write(DateTime value)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(ValueCodec.TryWrite(writer, value));
        return writer.WrittenSpan.ToArray();
    }

    private static object? Read(byte[] bytes)
    {
        var reader = new PayloadReader(bytes);
        return ValueCodec.Read(ref reader);
    }
}
