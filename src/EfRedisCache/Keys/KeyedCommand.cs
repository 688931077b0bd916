using System.Data.Common;

namespace EfRedisCache.Keys;

/// <summary>
/// The command a hit's key was built from: its text and a fingerprint of its parameter values, taken when the cache
/// planned the query. EF Core runs interceptors in registration order, so one registered after the cache sees the
/// command only after the key was built, and may rewrite it (a table or schema per tenant); at <c>ReaderExecuted</c>
/// this tells, with reference and hash comparisons only, whether the served rows still belong to the command.
/// </summary>
internal readonly struct KeyedCommand
{
    private readonly string? _text;
    private readonly int _parameters;

    public KeyedCommand(DbCommand command, string hash)
    {
        _text = command.CommandText;
        _parameters = FingerprintOf(command);
        Hash = hash;
    }

    /// <summary>The key's hash; <see langword="null"/> for a reader that was not served for a keyed command.</summary>
    public string? Hash { get; }

    /// <summary>
    /// True when nothing changed <paramref name="command"/> since it was keyed (or nothing was keyed): the same text
    /// instance and the same parameter values. False may be a false alarm (an equal text built anew, a value
    /// boxed anew where its type hashes by reference); the caller then rebuilds the key to be sure.
    /// </summary>
    public bool IsUnchanged(DbCommand command)
        => _text is null || (ReferenceEquals(command.CommandText, _text) && FingerprintOf(command) == _parameters);

    private static int FingerprintOf(DbCommand command)
    {
        var parameters = command.Parameters;
        var count = parameters.Count;
        var fingerprint = new HashCode();
        fingerprint.Add(count);
        for (var i = 0; i < count; i++)
        {
            fingerprint.Add(parameters[i].Value);
        }

        return fingerprint.ToHashCode();
    }
}
