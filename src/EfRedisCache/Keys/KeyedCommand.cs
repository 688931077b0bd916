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
/// parameter binds besides its value (name, types, size, precision, scale, direction) is compared as the key builder
/// hashes it (XxHash64 of the same bytes the key covers), read by the one routine both use.
/// </remarks>
internal readonly struct KeyedCommand
{
    private readonly string? _text;
    private readonly DbConnection? _connection;
    private readonly CommandType _type;
    private readonly object?[]? _values;
    private readonly ulong _bindings;

    /// <summary><paramref name="command"/> as keyed under <paramref name="hash"/>; <paramref name="bindings"/>: its parameters' bindings as the key builder hashed them (<see cref="CacheKeyBuilder.TryBuild(DbCommand, string, ulong, Type, string, out ulong)"/>).</summary>
    public KeyedCommand(DbCommand command, string hash, ulong bindings)
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

        _bindings = bindings;
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

        return CacheKeyBuilder.TryHashBindings(parameters, out var bindings) && bindings == _bindings;
    }
}
