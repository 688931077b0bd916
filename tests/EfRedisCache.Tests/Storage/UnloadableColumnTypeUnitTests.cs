using EfRedisCache.Storage;

namespace EfRedisCache.Tests.Storage;

/// <summary>
/// A plugin's types reach the cache: Npgsql reports a column of a PostgreSQL enum the plugin mapped as the plugin's
/// enum (an array column as an array of it), and the recording reader asks the codec about the type of every value the
/// provider hands it. Remembering such a type for the process keeps the plugin loaded after its host unloads it.
/// </summary>
public class UnloadableColumnTypeUnitTests
{
    [Fact]
    public void Decoding_an_entry_whose_column_type_comes_from_an_unloadable_assembly_lets_it_be_unloaded()
    {
        // A query with no matching rows on an array column of the plugin's enum: the entry names the column's type.
        WeakReference plugin = UnloadableAssembly.UseEnumFrom(static mood =>
        {
            Type column = mood.MakeArrayType();
            var result = new CachedResult([new CachedResultSet([new CachedColumn("Moods", "_mood", column)], [])], -1);
            CachedResult read = CachedResultSerializer.Deserialize(StorageTestData.Serialize(result));
            Assert.Same(column, read.ResultSets[0].Columns[0].FieldType);
        });

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }

    [Fact]
    public void A_plugin_loaded_again_after_an_unload_reads_entries_with_its_own_column_type()
    {
        // The host unloads the plugin and loads its next build, of the same assembly name; the cached entry is the same.
        const string pluginName = "EfrcPluginReloaded";
        byte[]? entry = null;
        WeakReference first = UnloadableAssembly.UseEnumFrom(
            mood =>
            {
                entry = StorageTestData.Serialize(new CachedResult([new CachedResultSet([new CachedColumn("Moods", "_mood", mood.MakeArrayType())], [])], -1));
                Assert.Same(mood.MakeArrayType(), CachedResultSerializer.Deserialize(entry).ResultSets[0].Columns[0].FieldType);
            },
            pluginName);
        Assert.True(UnloadableAssembly.IsCollected(first));

        UnloadableAssembly.UseEnumFrom(
            mood => Assert.Same(mood.MakeArrayType(), CachedResultSerializer.Deserialize(entry).ResultSets[0].Columns[0].FieldType),
            pluginName);
    }

    [Fact]
    public void Asking_the_codec_about_a_type_from_an_unloadable_assembly_lets_it_be_unloaded()
    {
        WeakReference plugin = UnloadableAssembly.UseEnumFrom(static mood =>
        {
            Assert.False(ValueCodec.IsSupported(mood.MakeArrayType()));
            Assert.False(ValueCodec.IsSupported(typeof(List<>).MakeGenericType(mood)));
        });

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }

    [Fact]
    public void Without_the_cache_the_unloadable_assembly_is_collected()
    {
        // The control: the helper itself holds nothing, so a failure above is the cache's.
        WeakReference plugin = UnloadableAssembly.UseEnumFrom(static mood => Assert.NotNull(mood.MakeArrayType()));

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }
}
