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

    /// <summary>
    /// Emits a new assembly with a public subclass of <paramref name="baseType"/> (its public constructors too), as a
    /// plugin defines its own tracing connection, and hands the subclass to <paramref name="use"/>.
    /// </summary>
    /// <returns>A weak reference to the subclass, as <see cref="UseEnumFrom"/>.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WeakReference UseSubclassOf(Type baseType, Action<Type> use)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName($"EfrcPlugin{Guid.NewGuid():N}"), AssemblyBuilderAccess.RunAndCollect);
        var builder = assembly.DefineDynamicModule("Plugin").DefineType($"Plugin.Plugin{baseType.Name}", TypeAttributes.Public | TypeAttributes.Class, baseType);
        foreach (var constructor in baseType.GetConstructors())
        {
            var parameters = constructor.GetParameters().Select(static p => p.ParameterType).ToArray();
            var il = builder.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, parameters).GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            for (short i = 1; i <= parameters.Length; i++)
            {
                il.Emit(OpCodes.Ldarg, i);
            }

            il.Emit(OpCodes.Call, constructor);
            il.Emit(OpCodes.Ret);
        }

        Type subclass = builder.CreateType();
        Assert.True(subclass.IsCollectible);
        use(subclass);
        return new WeakReference(subclass);
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
