using System.Buffers.Binary;
using System.Text;
using EfRedisCache.Storage;

namespace EfRedisCache.Tests.Storage;

/// <summary>Builds damaged payloads, including ones whose checksum is recomputed so the parser itself is exercised.</summary>
internal static class CorruptionHelper
{
    public static byte[] WithValidChecksum(byte[] payload)
    {
        byte[] copy = (byte[])payload.Clone();
        if (copy.Length >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), CachedResultSerializer.ComputeChecksum(copy.AsSpan(0, copy.Length - 4)));
        }

        return copy;
    }

    /// <summary>Replaces a UTF-8 string of the same length and fixes the checksum.</summary>
    public static byte[] Replace(byte[] payload, string find, string replacement)
    {
        byte[] from = Encoding.UTF8.GetBytes(find);
        byte[] to = Encoding.UTF8.GetBytes(replacement);
        if (from.Length != to.Length)
        {
            throw new ArgumentException("Same length only.", nameof(replacement));
        }

        int at = payload.AsSpan().IndexOf(from);
        if (at < 0)
        {
            throw new ArgumentException("Not found.", nameof(find));
        }

        byte[] copy = (byte[])payload.Clone();
        to.CopyTo(copy, at);
        return WithValidChecksum(copy);
    }
}
