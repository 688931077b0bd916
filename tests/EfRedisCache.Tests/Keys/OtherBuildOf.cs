using System.Reflection;
using System.Reflection.Emit;

namespace EfRedisCache.Tests.Keys;

/// <summary>
/// A type of another build of a provider's assembly, as far as one test process can have one: two versions of
/// Microsoft.Data.Sqlite cannot both be loaded, so this emits, into a dynamic assembly of the given name and
/// informational version, a subclass of the real type with its full name and its public constructors. The code that
/// reads a column is the real type's; what the cache may tell the builds apart by is the assembly.
/// </summary>
internal static class OtherBuildOf
{
    public static Type Type(Type baseType, string assemblyName, string informationalVersion)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(assemblyName), AssemblyBuilderAccess.Run);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(AssemblyInformationalVersionAttribute).GetConstructor([typeof(string)])!,
            [informationalVersion]));
        var module = assembly.DefineDynamicModule(assemblyName);
        var type = module.DefineType(baseType.FullName!, TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed, baseType);
        foreach (var constructor in baseType.GetConstructors())
        {
            var parameters = constructor.GetParameters().Select(static p => p.ParameterType).ToArray();
            var il = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, parameters).GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            for (short i = 1; i <= parameters.Length; i++)
            {
                il.Emit(OpCodes.Ldarg, i);
            }

            il.Emit(OpCodes.Call, constructor);
            il.Emit(OpCodes.Ret);
        }

        return type.CreateType();
    }
}
