using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EfRedisCache.Metadata;

/// <summary>
/// An answer worked out once per type (by reflection, compiled) and kept for the process: one dictionary lookup per
/// call. A collectible type's answer (a plugin's, in a load context its host unloads) is held weakly by the type
/// instead: in the process-wide map it kept the plugin loaded for good (<c>Unloadable*Tests</c>).
/// </summary>
/// <typeparam name="TValue">The answer; null is one too.</typeparam>
internal sealed class PerTypeCache<TValue>
{
    private readonly ConcurrentDictionary<Type, TValue> _answers = new();
    private readonly ConditionalWeakTable<Type, StrongBox<TValue>> _collectibleAnswers = [];
    private readonly Func<Type, TValue> _compute;
    private readonly ConditionalWeakTable<Type, StrongBox<TValue>>.CreateValueCallback _computeBoxed;

    public PerTypeCache(Func<Type, TValue> compute)
    {
        _compute = compute;
        _computeBoxed = type => new StrongBox<TValue>(compute(type));
    }

    public TValue Of(Type type)
        => _answers.TryGetValue(type, out var answer) ? answer
            : type.IsCollectible ? _collectibleAnswers.GetValue(type, _computeBoxed).Value!
            : _answers.GetOrAdd(type, _compute);
}
