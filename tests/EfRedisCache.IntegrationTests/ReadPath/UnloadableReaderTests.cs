using System.Data;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// A plugin's interceptor, registered after the cache, answers a miss with a reader of its own type. The cache asks
/// once per (provider, reader assembly) whether the provider is built on the reader's assembly; remembered for the
/// process, the answer kept the plugin loaded after its host unloaded it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class UnloadableReaderTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_miss_answered_with_a_reader_from_an_unloadable_assembly_lets_it_be_unloaded()
    {
        using var shop = new ShopHarness(redis);
        var interceptor = new PluginReaderAnswerInterceptor();
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(interceptor);
        var options = builder.Options;

        WeakReference plugin = await AnswerWithPluginReader(interceptor, options);

        for (int i = 0; i < 20 && plugin.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(plugin.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> AnswerWithPluginReader(PluginReaderAnswerInterceptor interceptor, DbContextOptions<ShopContext> options)
    {
        Type reader = EmitReaderType();
        interceptor.ReaderType = reader;
        await using (var context = new ShopContext(options))
        {
            Assert.Equal(["canned"], await context.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync());
        }

        interceptor.ReaderType = null;
        return new WeakReference(reader);
    }

    /// <summary>
    /// <c>Plugin.PluginReader : DbDataReader</c> in a collectible assembly, as a plugin's own reader: built on a
    /// <see cref="DataTable"/>, each abstract member handed to the table's <see cref="DataTableReader"/> (sealed, so not
    /// a base).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Type EmitReaderType()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"EfrcPlugin{Guid.NewGuid():N}"), AssemblyBuilderAccess.RunAndCollect);
        var type = assembly.DefineDynamicModule("Plugin").DefineType("Plugin.PluginReader", TypeAttributes.Public | TypeAttributes.Class, typeof(System.Data.Common.DbDataReader));
        var inner = type.DefineField("_inner", typeof(System.Data.Common.DbDataReader), FieldAttributes.Private | FieldAttributes.InitOnly);
        var il = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(DataTable)]).GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(System.Data.Common.DbDataReader).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Callvirt, typeof(DataTable).GetMethod(nameof(DataTable.CreateDataReader))!);
        il.Emit(OpCodes.Stfld, inner);
        il.Emit(OpCodes.Ret);
        foreach (var method in typeof(System.Data.Common.DbDataReader).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(static m => m.IsAbstract))
        {
            var parameters = method.GetParameters().Select(static p => p.ParameterType).ToArray();
            var body = type.DefineMethod(
                method.Name,
                MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig | (method.IsSpecialName ? MethodAttributes.SpecialName : 0),
                method.ReturnType,
                parameters).GetILGenerator();
            body.Emit(OpCodes.Ldarg_0);
            body.Emit(OpCodes.Ldfld, inner);
            for (short i = 1; i <= parameters.Length; i++)
            {
                body.Emit(OpCodes.Ldarg, i);
            }

            body.Emit(OpCodes.Callvirt, method);
            body.Emit(OpCodes.Ret);
        }

        return type.CreateType();
    }
}
