using System.Reflection;
using System.Reflection.Emit;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A class <c>Plugin.PriceRow</c> with one read-write property <c>Value</c>, emitted into a dynamic assembly of the given
/// name: two plugins (or two versions of one, in two load contexts) that each bring a type of one full name.
/// </summary>
internal static class EmittedPriceRow
{
    public const string FullName = "Plugin.PriceRow";

    public static Type Emit(string assemblyName, Type valueType)
    {
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(assemblyName), AssemblyBuilderAccess.Run).DefineDynamicModule(assemblyName);
        var type = module.DefineType(FullName, TypeAttributes.Public | TypeAttributes.Class);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        var field = type.DefineField("_value", valueType, FieldAttributes.Private);
        var property = type.DefineProperty("Value", PropertyAttributes.None, valueType, null);
        const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;

        var getter = type.DefineMethod("get_Value", accessor, valueType, Type.EmptyTypes);
        var il = getter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Ret);
        property.SetGetMethod(getter);

        var setter = type.DefineMethod("set_Value", accessor, null, [valueType]);
        il = setter.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);
        property.SetSetMethod(setter);

        return type.CreateType();
    }
}
