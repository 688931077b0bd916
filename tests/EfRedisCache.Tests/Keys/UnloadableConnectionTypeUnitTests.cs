using System.Data.Common;
using EfRedisCache.Invalidation;
using EfRedisCache.Keys;
using EfRedisCache.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

/// <summary>
/// A plugin that defines its own connection type (a tracing or tenant-aware subclass of the provider's) and runs cached
/// queries through it: every query asks which database the connection names, which connection it wraps and whether
/// SQLite holds a transaction on it. Remembered per connection type for the process, the answers kept the plugin loaded
/// after its host unloaded it.
/// </summary>
public sealed class UnloadableConnectionTypeUnitTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"efrc-unloadable-{Guid.NewGuid():N}.db");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Asking_about_a_connection_of_a_type_from_an_unloadable_assembly_lets_it_be_unloaded()
    {
        string connectionString = $"Data Source={_path};Pooling=False";
        string? plainId = DatabaseIdentity.Of(new SqliteConnection(connectionString));
        WeakReference plugin = UnloadableAssembly.UseSubclassOf(typeof(SqliteConnection), type =>
        {
            for (int query = 0; query < 2; query++)
            {
                using var connection = (DbConnection)Activator.CreateInstance(type, connectionString)!;
                connection.Open();
                Assert.Equal(plainId, DatabaseIdentity.Of(connection));
                Assert.Same(connection, ProviderConnection.Of(connection));
                Assert.False(SqliteNativeTransaction.IsOpen(connection));
            }
        });

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }

    [Fact]
    public void Without_the_cache_the_unloadable_connection_type_is_collected()
    {
        // The control: Microsoft.Data.Sqlite itself holds nothing of the subclass, so a failure above is the cache's.
        string connectionString = $"Data Source={_path};Pooling=False";
        WeakReference plugin = UnloadableAssembly.UseSubclassOf(typeof(SqliteConnection), type =>
        {
            using var connection = (DbConnection)Activator.CreateInstance(type, connectionString)!;
            connection.Open();
        });

        Assert.True(UnloadableAssembly.IsCollected(plugin));
    }
}
