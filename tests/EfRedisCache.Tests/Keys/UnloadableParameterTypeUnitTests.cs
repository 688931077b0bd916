using System.Data.Common;
using EfRedisCache.Keys;
using EfRedisCache.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

/// <summary>
/// A plugin's own parameter type (a subclass of the provider's, made by its own connection's commands): the key builder
/// reads its provider-type facets, found once per type. The facets of the last type seen were held in a static field,
/// which kept the plugin loaded after its host unloaded it until a query with another parameter type came.
/// </summary>
public class UnloadableParameterTypeUnitTests
{
    [Fact]
    public void Keying_a_parameter_of_a_type_from_an_unloadable_assembly_lets_it_be_unloaded()
    {
        WeakReference plugin = UnloadableAssembly.UseSubclassOf(typeof(SqliteParameter), static type =>
        {
            var parameter = (DbParameter)Activator.CreateInstance(type)!;
            parameter.ParameterName = "@id";
            parameter.Value = 7;
            Assert.True(ParameterTypeFacets.For(type).TryWrite(new System.Buffers.ArrayBufferWriter<byte>(), parameter));
        });

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }
}
