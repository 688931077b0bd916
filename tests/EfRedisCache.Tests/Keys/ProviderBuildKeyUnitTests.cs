using System.Data.Common;
using System.Reflection;
using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using EfRedisCache.Tests.Interception;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Tests.Keys;

/// <summary>
/// A rolling deployment runs two builds of an application on one Redis; the new one may have upgraded its database
/// provider or EF Core and kept its own assembly version (1.0.0.0 by default). A new provider can read one column into
/// another value (Microsoft.Data.Sqlite 10 reads text with an offset as UTC where earlier versions gave local time), and
/// the cache stores what the provider's getters returned: the builds must not share entries. Two versions of a provider
/// cannot be loaded in one process, so the other build is a subclass emitted into an assembly of another version
/// (<see cref="OtherBuildOf"/>), and the real build's assemblies are shown to be what is hashed.
/// </summary>
public sealed class ProviderBuildKeyUnitTests
{
    private const string ConnectionString = "Data Source=provider-build.db";

    [Fact]
    public void Connections_of_two_builds_of_the_ado_net_provider_have_other_sessions_on_one_database()
    {
        using var oldBuild = Connection("9.0.0+old");
        using var newBuild = Connection("10.0.0+new");

        var oldId = DatabaseIdentity.Of(oldBuild, out var oldSession);
        var newId = DatabaseIdentity.Of(newBuild, out var newSession);

        // One database, so a write through either build still bumps the versions the other's entries depend on ...
        Assert.Equal(oldId, newId);
        // ... but the entry key differs: each build reads its own values.
        Assert.NotNull(oldSession);
        Assert.NotEqual(oldSession, newSession);
    }

    [Fact]
    public void The_entry_key_of_a_plain_sqlite_connection_hashes_microsoft_data_sqlites_informational_version()
    {
        var version = typeof(SqliteConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var described = ProviderCodeVersions.Of(typeof(SqliteConnection), typeof(DbConnection));

        Assert.Contains($"Microsoft.Data.Sqlite {version}", described, StringComparison.Ordinal);
        Assert.Equal(
            SessionSettings.Compute(ConnectionString, npgsqlDefaults: false, static _ => null, "user", described),
            SessionSettings.Compute(ConnectionString, typeof(SqliteConnection)));
        Assert.NotEqual(
            SessionSettings.Compute(ConnectionString, npgsqlDefaults: false, static _ => null, "user", described.Replace(version, "9.0.0", StringComparison.Ordinal)),
            SessionSettings.Compute(ConnectionString, typeof(SqliteConnection)));
    }

    [Fact]
    public void Models_read_through_two_builds_of_the_ef_provider_have_other_model_hashes()
    {
        using var plain = new ShapeContext(new DbContextOptionsBuilder<ShapeContext>().UseSqlite(ConnectionString).Options);
        var typeMappingSource = plain.GetService<IRelationalTypeMappingSource>().GetType();
        using var oldBuild = ContextWithTypeMappingSource(OtherBuildOf.Type(typeMappingSource, typeMappingSource.Assembly.GetName().Name!, "9.0.0+old"));
        using var newBuild = ContextWithTypeMappingSource(OtherBuildOf.Type(typeMappingSource, typeMappingSource.Assembly.GetName().Name!, "10.0.0+new"));

        Assert.NotEqual(ModelCacheInfo.For(oldBuild.Model).ModelHash, ModelCacheInfo.For(newBuild.Model).ModelHash);
    }

    [Fact]
    public void A_models_hash_describes_the_informational_versions_of_ef_core_its_relational_layer_and_the_provider()
    {
        using var context = new ShapeContext(new DbContextOptionsBuilder<ShapeContext>().UseSqlite(ConnectionString).Options);

        var described = ModelCacheInfo.ReadingCodeOf(context.Model);

        foreach (var assembly in new[] { typeof(DbContext).Assembly, typeof(RelationalTypeMapping).Assembly, typeof(SqliteDbContextOptionsBuilderExtensions).Assembly })
        {
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            Assert.Contains($"{assembly.GetName().Name} {version}", described, StringComparison.Ordinal);
        }
    }

    private static DbConnection Connection(string informationalVersion)
        => (DbConnection)Activator.CreateInstance(
            OtherBuildOf.Type(typeof(SqliteConnection), "Microsoft.Data.Sqlite", informationalVersion),
            ConnectionString)!;

    private static ShapeContext ContextWithTypeMappingSource(Type typeMappingSource)
    {
        var builder = new DbContextOptionsBuilder<ShapeContext>().UseSqlite(ConnectionString);
        var replace = typeof(DbContextOptionsBuilder).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Single(static m => m.Name == nameof(DbContextOptionsBuilder.ReplaceService) && m.GetGenericArguments().Length == 2 && m.GetParameters().Length == 0);
        replace.MakeGenericMethod(typeof(IRelationalTypeMappingSource), typeMappingSource).Invoke(builder, null);
        return new ShapeContext(builder.Options);
    }
}
