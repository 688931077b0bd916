using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

/// <summary>Whatever Redis hands back, decoding either succeeds completely or throws CacheEntryFormatException.</summary>
public class CachedResultSerializerCorruptionUnitTests
{
    private static readonly byte[] Valid = BuildPayload();

    [Fact]
    public void Every_truncation_is_a_format_error()
    {
        for (int length = 0; length < Valid.Length; length++)
        {
            byte[] truncated = Valid[..length];
            Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(truncated));
        }
    }

    [Fact]
    public void Every_truncation_with_a_recomputed_checksum_is_a_format_error()
    {
        for (int length = 9; length < Valid.Length; length++)
        {
            byte[] truncated = Valid[..(length - 4)].Concat(new byte[4]).ToArray();
            byte[] forged = CorruptionHelper.WithValidChecksum(truncated);
            Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(forged));
        }
    }

    [Fact]
    public void Random_byte_flips_are_detected()
    {
        var random = new Random(20241123);
        for (int i = 0; i < 3000; i++)
        {
            byte[] damaged = Flip(Valid, random);
            Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(damaged));
        }
    }

    [Fact]
    public void Random_byte_flips_behind_a_valid_checksum_never_escape_as_another_exception()
    {
        var random = new Random(42);
        int decoded = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] damaged = CorruptionHelper.WithValidChecksum(Flip(Valid, random));
            CachedResult result;
            try
            {
                result = CachedResultSerializer.Deserialize(damaged);
            }
            catch (CacheEntryFormatException)
            {
                continue;
            }

            // Whatever decoded must be complete and usable: replaying every cell must not throw later.
            decoded++;
            ReplayEverything(result);
        }

        Assert.True(decoded > 0, "some flips land in string or number bodies and still decode");
    }

    [Fact]
    public void Random_garbage_is_a_format_error()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] garbage = new byte[random.Next(0, 64)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 5)
            {
                "EFRC"u8.CopyTo(garbage);
                garbage[4] = CachedResultSerializer.FormatVersion;
                garbage = CorruptionHelper.WithValidChecksum(garbage);
            }

            Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(garbage));
        }
    }

    [Fact]
    public void Wrong_magic_is_a_format_error()
    {
        byte[] payload = (byte[])Valid.Clone();
        payload[0] = (byte)'X';

        var ex = Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(CorruptionHelper.WithValidChecksum(payload)));
        Assert.Contains("not an EfRedisCache entry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_format_version_is_a_format_error()
    {
        byte[] payload = (byte[])Valid.Clone();
        payload[4] = CachedResultSerializer.FormatVersion + 1;

        var ex = Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(CorruptionHelper.WithValidChecksum(payload)));
        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_a_format_error()
    {
        byte[] payload = CorruptionHelper.WithValidChecksum([.. Valid[..^4], 0, 0, 0, 0, 0]);

        Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(payload));
    }

    [Fact]
    public void An_unknown_provider_type_name_code_is_refused()
    {
        // header, 1 set, 1 column "a" with type name code 250 (no such name), int, 0 rows, RecordsAffected 0
        static byte[] WithTypeNameCode(byte code) => CorruptionHelper.WithValidChecksum(
            [.. "EFRC"u8, CachedResultSerializer.FormatVersion, 1, 1, 1, (byte)'a', code, 7, 0, 0, 0, 0, 0, 0]);
        byte[] payload = WithTypeNameCode(250);
        Assert.Equal("INTEGER", CachedResultSerializer.Deserialize(WithTypeNameCode(2)).ResultSets[0].Columns[0].DataTypeName);

        Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(payload));
    }

    [Fact]
    public void An_absurd_row_count_is_refused_before_allocating()
    {
        // header, 1 set, 1 column "a" "" int, then 2^62 rows
        byte[] payload = CorruptionHelper.WithValidChecksum(
            [.. "EFRC"u8, CachedResultSerializer.FormatVersion, 1, 1, 1, (byte)'a', 0, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0, 0, 0, 0, 0]);

        Assert.Throws<CacheEntryFormatException>(() => CachedResultSerializer.Deserialize(payload));
    }

    private static byte[] Flip(byte[] source, Random random)
    {
        byte[] copy = (byte[])source.Clone();
        int flips = random.Next(1, 4);
        for (int f = 0; f < flips; f++)
        {
            int at = random.Next(copy.Length);
            copy[at] ^= (byte)random.Next(1, 256);
        }

        return copy;
    }

    private static void ReplayEverything(CachedResult result)
    {
        using var reader = new ReplayDataReader(result);
        do
        {
            for (int i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetName(i);
                _ = reader.GetFieldType(i);
            }

            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }
            }
        }
        while (reader.NextResult());
    }

    private static byte[] BuildPayload()
    {
        CachedResult products = StorageTestData.Products(4);
        CachedColumn[] misc =
        [
            new("Blob", "BLOB", typeof(byte[])), new("When", "TEXT", typeof(DateTimeOffset)), new("Day", "TEXT", typeof(DateOnly)),
            new("Odd", "x", typeof(Uri)), new("Real", "REAL", typeof(double)), new("Lone", "TEXT", typeof(string)),
        ];
        List<object?[]> rows =
        [
            [new byte[] { 1, 2, 3 }, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(330)), new DateOnly(2024, 2, 29), null, 1.5, "\ud800x"],
            [Array.Empty<byte>(), DateTimeOffset.MinValue, DateOnly.MinValue, null, double.NaN, "日本語 🎉"],
        ];
        return StorageTestData.Serialize(new CachedResult([products.ResultSets[0], new CachedResultSet(misc, rows)], 2));
    }
}
