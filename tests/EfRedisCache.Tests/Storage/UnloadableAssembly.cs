using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace EfRedisCache.Tests.Storage;

/// <summary>
/// An assembly a plugin host can unload: emitted with <see cref="AssemblyBuilderAccess.RunAndCollect"/>, which makes
/// it collectible as an assembly in a collectible <c>AssemblyLoadContext</c> is. It defines one enum, as a plugin
/// that maps a PostgreSQL enum (Npgsql's <c>MapEnum</c>) defines its CLR type.
/// </summary>
internal static class UnloadableAssembly
{
    /// <summary>
    /// Emits a new assembly, named <paramref name="name"/> (unique per call when null), and hands its enum to
    /// <paramref name="use"/>.
    /// </summary>
    /// <returns>
    /// A weak reference to the enum. A collectible type lives as long as its assembly's loader (a reference to the
    /// <see cref="AssemblyBuilder"/> would not do: it is a wrapper the runtime's assembly does not need).
    /// </returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WeakReference UseEnumFrom(Action<Type> use, string? name = null)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName(name ?? $"EfrcPlugin{Guid.NewGuid():N}"), AssemblyBuilderAccess.RunAndCollect);
        var enumBuilder = assembly.DefineDynamicModule("Plugin").DefineEnum("Plugin.Mood", TypeAttributes.Public, typeof(int));
        enumBuilder.DefineLiteral("Happy", 1);
        Type mood = enumBuilder.CreateType();
        Assert.True(mood.IsCollectible);
        use(mood);
        return new WeakReference(mood);
    }

    /// <summary>Whether the type behind <paramref name="type"/>, and so its assembly, was collected within a few collections.</summary>
    public static bool IsCollected(WeakReference type)
    {
        // A collectible assembly goes in stages (its managed objects, then its loader allocator): several rounds.
        for (int i = 0; i < 20 && type.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !type.IsAlive;
    }
}
