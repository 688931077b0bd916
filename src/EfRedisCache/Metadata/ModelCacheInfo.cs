using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using EfRedisCache.Keys;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Metadata;

/// <summary>
/// What the cache needs to know of one EF Core model, computed once per model instance: its identity
/// (so two schema versions never share entries), its table names, which tables a save of each entity type
/// touches, which tables allow row versions, and the analyses of the SQL texts it has seen.
/// </summary>
internal sealed class ModelCacheInfo
{
    private const int MaxCachedAnalyses = 10_000;

    /// <summary>The characters of SQL text each of the two analysis caches may hold (about 8 MB of UTF-16).</summary>
    internal const int MaxCachedCharacters = 4_000_000;
    private static readonly ConditionalWeakTable<IModel, ModelCacheInfo> Infos = [];

    private readonly Dictionary<IEntityType, EntityWriteInfo> _writes = [];
    private readonly SqlAnalysisCache<QueryAnalysis> _queryAnalyses = new(MaxCachedAnalyses, MaxCachedCharacters);
    private readonly ConditionalWeakTable<string, QueryAnalysis> _queryAnalysesByInstance = [];
    private readonly SqlAnalysisCache<WriteAnalysis> _writeAnalyses = new(MaxCachedAnalyses, MaxCachedCharacters);
    private readonly HashSet<string> _tablesNamedLikeViews;

    private ModelCacheInfo(IModel model)
    {
        ModelHash = HashModel(model);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entityType in model.GetEntityTypes())
        {
            foreach (var mapping in entityType.GetTableMappings())
            {
                tables.Add(mapping.Table.Name);
            }
        }

        Tables = tables;
        Views = FindViews(model, tables, out var tablesNamedLikeViews);
        _tablesNamedLikeViews = tablesNamedLikeViews;
        Functions = model.GetDbFunctions().Where(static f => !f.IsBuiltIn).Select(static f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        RowKeyedTables = FindRowKeyedTables(model, tablesNamedLikeViews);
        foreach (var entityType in model.GetEntityTypes())
        {
            _writes[entityType] = EntityWrites.Describe(entityType);
        }
    }

    /// <summary>A hash of the model's full description: column names, types, mappings.</summary>
    public string ModelHash { get; }

    public IReadOnlySet<string> Tables { get; }

    /// <summary>
    /// The views and table-valued functions entity types are mapped to (<c>ToView</c>, <c>ToFunction</c>), any case.
    /// A query over one reads a source the cache cannot see into; its name is still a source per-entity rules and
    /// manual invalidation can name.
    /// </summary>
    public IReadOnlySet<string> Views { get; }

    /// <summary>The database functions the model maps (<c>HasDbFunction</c>), not EF Core's built-in ones: a call may read any table.</summary>
    public IReadOnlySet<string> Functions { get; }

    /// <summary>
    /// Tables (any case) whose primary key is one integer column with no value converter, mapped to that column's name;
    /// not a name two tables (in two schemas) or a table and a view share, since the scanners read names without schemas.
    /// </summary>
    public IReadOnlyDictionary<string, string> RowKeyedTables { get; }

    public static ModelCacheInfo For(IModel model) => Infos.GetValue(model, static m => new ModelCacheInfo(m));

    /// <summary>The characters of the SQL texts whose analyses are remembered by text, for tests of the bound.</summary>
    internal long RememberedSqlCharacters => _queryAnalyses.Characters + _writeAnalyses.Characters;

    public EntityWriteInfo? WritesOf(IEntityType entityType) => _writes.GetValueOrDefault(entityType);

    /// <summary>The tables the database changes through cascading foreign keys when rows of <paramref name="table"/> (lower case) are deleted.</summary>
    public IEnumerable<string> CascadeTablesOf(string table)
    {
        foreach (var writes in _writes.Values)
        {
            if (writes.CascadeTables.Length > 0 && Array.IndexOf(writes.OwnTables, table) >= 0)
            {
                foreach (var cascade in writes.CascadeTables)
                {
                    yield return cascade;
                }
            }
        }
    }

    /// <summary>
    /// The sources (lower case) queries of <paramref name="clrType"/> and its derived types read, for manual
    /// invalidation and per-entity rules: their tables, the views and table-valued functions they are mapped to,
    /// and the tables a defining query (<c>ToSqlQuery</c>) reads.
    /// </summary>
    public string[] TablesOf(IModel model, Type clrType)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entityType in model.GetEntityTypes())
        {
            if (!clrType.IsAssignableFrom(entityType.ClrType))
            {
                continue;
            }

            if (_writes.TryGetValue(entityType, out var writes))
            {
                tables.UnionWith(writes.OwnTables);
            }

            for (var type = entityType; type is not null; type = type.BaseType)
            {
                foreach (var mapping in type.GetViewMappings())
                {
                    tables.Add(TableIdentity.Of(mapping.View.Name));
                }

                foreach (var mapping in type.GetFunctionMappings())
                {
                    tables.Add(TableIdentity.Of(mapping.StoreFunction.Name));
                }

                foreach (var mapping in type.GetSqlQueryMappings())
                {
                    tables.UnionWith(AnalyzeQuery(mapping.SqlQuery.Sql).Tables);
                }
            }
        }

        return [.. tables];
    }

    public QueryAnalysis AnalyzeQuery(string sql)
    {
        // EF Core hands the same CommandText instance to every execution of a cached query: found by
        // reference, the analysis costs no hashing of the SQL text.
        if (_queryAnalysesByInstance.TryGetValue(sql, out var analysis) || _queryAnalyses.TryGetValue(sql, out analysis))
        {
            return analysis;
        }

        analysis = SqlReadScanner.Analyze(sql, Tables, RowKeyedTables, Functions);
        if (_tablesNamedLikeViews.Count > 0 && !analysis.IsWrite && analysis.Tables.Any(_tablesNamedLikeViews.Contains))
        {
            // The scanner names a source without its schema: this may be the view (reporting."Items") rather than
            // the table (public."Items"), and a view reads sources the cache cannot see.
            analysis = analysis with { ReadsUnknownSources = true, KeyLookup = null };
        }

        if (Views.Count > 0 && analysis is { ReadsUnknownSources: true, IsWrite: false }
            && SqlReadScanner.Analyze(sql, Views).Tables is { Length: > 0 } views)
        {
            // The views it names join its sources, so NeverCache/CacheEntity of a view's entity type apply to it.
            // It depends on every write to the database all the same (ReadsUnknownSources); the view's own
            // version is one more key, bumped when the view's entity type is invalidated by hand.
            analysis = analysis with { Tables = [.. analysis.Tables.Union(views).Order(StringComparer.Ordinal)] };
        }

        _queryAnalyses.Remember(sql, analysis);
        _queryAnalysesByInstance.AddOrUpdate(sql, analysis);
        return analysis;
    }

    public WriteAnalysis AnalyzeWrite(string sql)
    {
        if (_writeAnalyses.TryGetValue(sql, out var analysis))
        {
            return analysis;
        }

        analysis = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);
        _writeAnalyses.Remember(sql, analysis);
        return analysis;
    }

    /// <param name="model">The model.</param>
    /// <param name="tables">Its tables' names.</param>
    /// <param name="tablesNamedLikeViews">The identities (<see cref="TableIdentity"/>) of the tables that a view or function of the model is named like, in another schema.</param>
    private static HashSet<string> FindViews(IModel model, IReadOnlySet<string> tables, out HashSet<string> tablesNamedLikeViews)
    {
        var views = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entityType in model.GetEntityTypes())
        {
            foreach (var mapping in entityType.GetViewMappings())
            {
                views.Add(mapping.View.Name);
            }

            foreach (var mapping in entityType.GetFunctionMappings())
            {
                views.Add(mapping.StoreFunction.Name);
            }
        }

        tablesNamedLikeViews = views.Where(tables.Contains).Select(TableIdentity.Of).ToHashSet(StringComparer.Ordinal);
        views.ExceptWith(tables);
        return views;
    }

    /// <summary>
    /// Row versions are sound only where the key in the SQL parameter and the key of the tracked entity are
    /// the same integer: no value converter, no string or GUID whose spelling or collation could differ.
    /// </summary>
    private static Dictionary<string, string> FindRowKeyedTables(IModel model, HashSet<string> tablesNamedLikeViews)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Version keys and the lookup scanner name a table without its schema: a name qualifies only when every
        // table of that name does, by the same column. Otherwise a read of sales.Orders' namesake archive.Orders
        // by a column of its composite key looks like a key lookup, which no save of archive.Orders reaches. "That
        // name" is the table's identity (TableIdentity): on PostgreSQL two names alike in their first 63 bytes are one.
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = new HashSet<string>(tablesNamedLikeViews, StringComparer.Ordinal);
        foreach (var table in model.GetRelationalModel().Tables)
        {
            var identity = TableIdentity.Of(table.Name);
            if (table.PrimaryKey is not { Columns.Count: 1 } primaryKey)
            {
                refused.Add(identity);
                continue;
            }

            var column = primaryKey.Columns[0];
            var integral = column.PropertyMappings.All(static m =>
                m.Property.GetTypeMapping().Converter is null
                && Nullable.GetUnderlyingType(m.Property.ClrType) is null
                && (m.Property.ClrType == typeof(int) || m.Property.ClrType == typeof(long) || m.Property.ClrType == typeof(short)));
            // A type stored in a JSON column (ToJson) lives in its owner's row: saving it bumps that row's version.
            var store = StoreObjectIdentifier.Table(table.Name, table.Schema);
            var keyedAlike = table.EntityTypeMappings.All(m => m.TypeBase is IEntityType e
                && EntityWrites.RowKeyProperty(e) is { } key
                && (e.IsMappedToJson()
                    ? EntityWrites.RootOwner(e).GetTableMappings().Any(o => o.Table == table)
                    : key.GetColumnName(store) == column.Name));
            if (!integral || !keyedAlike || (columns.TryGetValue(identity, out var other) && other != column.Name))
            {
                refused.Add(identity);
                continue;
            }

            columns[identity] = column.Name;
            result[table.Name] = column.Name;
        }

        foreach (var name in result.Keys.Where(name => refused.Contains(TableIdentity.Of(name))).ToList())
        {
            result.Remove(name);
        }

        return result;
    }

    /// <summary>
    /// The assemblies and versions of the model's type-mapping source, the provider's (SQLite's, Npgsql's), and of the
    /// EF Core relational layer and EF Core it derives from (<see cref="ProviderCodeVersions"/>). A model is built by one
    /// provider's services, whose type-mapping source its dependencies keep.
    /// </summary>
    internal static string ReadingCodeOf(IModel model)
        => ProviderCodeVersions.Of(model.GetModelDependencies().TypeMappingSource.GetType(), typeof(object));

    /// <summary>
    /// The debug string, plus how each property is read and stored: the debug string leaves out a value converter
    /// given as lambdas, so two schema versions that store one column differently (a <c>DateTime</c> as text, then
    /// as ticks) under the same SQL would otherwise share entries, and the new one read the old one's values.
    /// </summary>
    private static string HashModel(IModel model)
    {
        var description = new StringBuilder(model.ToDebugString(MetadataDebugStringOptions.LongDefault));
        foreach (var entityType in model.GetEntityTypes())
        {
            foreach (var property in entityType.GetFlattenedProperties())
            {
                var mapping = property.FindTypeMapping();
                description.Append('\n').Append(entityType.Name).Append('.').Append(property.Name)
                    .Append(' ').Append(mapping?.ClrType.FullName)
                    .Append(' ').Append(mapping?.Converter?.ProviderClrType.FullName)
                    .Append(' ').Append((mapping as RelationalTypeMapping)?.StoreType);
            }
        }

        // How scalars outside entity types are stored (ConfigureConventions' DefaultTypeMapping): SqlQuery<DateTime>
        // reads through it, and the debug string leaves it out, so a schema version that stored a raw SQL scalar as
        // ticks read the text of the old version's entry (SchemaVersionKeyTests).
        foreach (var configuration in model.GetTypeMappingConfigurations().OrderBy(static c => c.ClrType.AssemblyQualifiedName, StringComparer.Ordinal))
        {
            description.Append("\nscalar ").Append(configuration.ClrType.AssemblyQualifiedName)
                .Append(' ').Append(configuration.GetValueConverter()?.ProviderClrType.AssemblyQualifiedName)
                .Append(' ').Append(configuration.GetProviderClrType()?.AssemblyQualifiedName)
                .Append(' ').Append(configuration.GetMaxLength())
                .Append(' ').Append(configuration.GetPrecision())
                .Append(' ').Append(configuration.GetScale())
                .Append(' ').Append(configuration.IsUnicode());
            foreach (var annotation in configuration.GetAnnotations())
            {
                description.Append(' ').Append(annotation.Name).Append('=').Append(Convert.ToString(annotation.Value, CultureInfo.InvariantCulture));
            }
        }

        // The code that reads the columns: another build of EF Core or of the provider may ask another getter, or the
        // provider's type mappings read a column otherwise, and a rolling deployment runs both builds on one Redis.
        description.Append("\nread by\n").Append(ReadingCodeOf(model));
        var hash = XxHash128.Hash(Encoding.UTF8.GetBytes(description.ToString()));
        return Convert.ToHexStringLower(hash);
    }
}
