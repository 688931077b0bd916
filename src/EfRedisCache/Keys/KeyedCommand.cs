using System.Data;
using System.Data.Common;

namespace EfRedisCache.Keys;

/// <summary>
/// The command a hit's key was built from: its text, its connection, its type, its parameter values and a fingerprint of how they
/// bind, taken when the cache planned the query. EF Core runs interceptors in registration order, so one registered
/// after the cache sees the command only after the key was built, and may rewrite it (a table or schema per tenant,
/// a sentinel value mapped, a string truncated by <see cref="DbParameter.Size"/>); at <c>ReaderExecuted</c> this
/// tells, without rebuilding the key, whether the served rows still belong to the command.
/// </summary>
/// <remarks>
/// Values are compared by reference, not by hash code: a value's hash code says nothing of the rows (0L and -1L hash
/// alike, as do a <see cref="DateTime"/> in two kinds), so an interceptor that maps one to the other must be seen. A
/// value replaced by an equal one (newly boxed) is a false alarm the caller settles by rebuilding the key. What a
/// parameter binds besides its value (name, types, size, precision, scale, direction) is hashed with the process's
/// random seed: no value chosen by an interceptor collides but by chance.
/// </remarks>
internal readonly struct KeyedCommand
{
    private readonly string? _text;
    private readonly DbConnection? _connection;
    private readonly CommandType _type;
    private readonly object?[]? _values;
    private readonly int _binding;

    public KeyedCommand(DbCommand command, string hash)
    {
        _text = command.CommandText;
        _connection = command.Connection;
        _type = command.CommandType;
        var parameters = command.Parameters;
        var count = parameters.Count;
        if (count > 0)
        {
            _values = new object?[count];
            for (var i = 0; i < count; i++)
            {
                _values[i] = parameters[i].Value;
            }
        }

        // A getter that throws here made the key builder give up too, so such a command is never keyed.
        _ = TryBindingOf(parameters, out _binding);
        Hash = hash;
    }

    /// <summary>The key's hash; <see langword="null"/> for a reader that was not served for a keyed command.</summary>
    public string? Hash { get; }

    /// <summary>
    /// True when nothing changed <paramref name="command"/> since it was keyed (or nothing was keyed): the same text
    /// instance, connection, type, parameter value instances and bindings. False may be a false alarm (an equal text built anew,
    /// a value boxed anew); the caller then rebuilds the key to be sure.
    /// </summary>
    public bool IsUnchanged(DbCommand command)
    {
        if (_text is null)
        {
            return true;
        }

        // The connection too: the key names its database, and shard routing hands the command another one.
        if (!ReferenceEquals(command.CommandText, _text) || !ReferenceEquals(command.Connection, _connection) || command.CommandType != _type)
        {
            return false;
        }

        var parameters = command.Parameters;
        var count = parameters.Count;
        if (count != (_values?.Length ?? 0))
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!ReferenceEquals(parameters[i].Value, _values![i]))
            {
                return false;
            }
        }

        return TryBindingOf(parameters, out var binding) && binding == _binding;
    }

    /// <summary>Everything the key takes from the parameters but their values; <see langword="false"/> when a provider getter threw.</summary>
    private static bool TryBindingOf(DbParameterCollection parameters, out int fingerprint)
    {
        fingerprint = 0;
        var binding = new HashCode();
        var count = parameters.Count;
        binding.Add(count);
        for (var i = 0; i < count; i++)
        {
            var parameter = parameters[i];
            binding.Add(parameter.ParameterName, StringComparer.Ordinal);
            binding.Add((int)parameter.DbType);
            binding.Add((int)parameter.Direction);
            binding.Add(parameter.Size);
            binding.Add((parameter.Precision << 8) | parameter.Scale);
            if (!ParameterTypeFacets.For(parameter.GetType()).TryAddTo(ref binding, parameter))
            {
                return false;
            }
        }

        fingerprint = binding.ToHashCode();
        return true;
    }
}
