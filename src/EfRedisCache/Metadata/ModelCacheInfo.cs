using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EfRedisCache.Metadata;

/// <summary>
/// What the cache needs to know of one EF Core model, computed once per model instance: its identity
/// (so two schema versions never share entries), its table names, which tables a save of each entity type
/// touches, and the analyses of the SQL texts it has seen.
/// </summary>
internal sealed class ModelCacheInfo
{
    private const int MaxCachedAnalyses = 10_000;
    private static readonly ConditionalWeakTable<IModel, ModelCacheInfo> Infos = [];

    private readonly Dictionary<IEntityType, EntityTables> _entityTables;
    private readonly ConcurrentDictionary<string, QueryAnalysis> _queryAnalyses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WriteAnalysis> _writeAnalyses = new(StringComparer.Ordinal);

    private ModelCacheInfo(IModel model)
    {
        ModelHash = HashModel(model);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _entityTables = [];
        foreach (var entityType in model.GetEntityTypes())
        {
            foreach (var mapping in entityType.GetTableMappings())
            {
                tables.Add(mapping.Table.Name);
            }
        }

        Tables = tables;
        foreach (var entityType in model.GetEntityTypes())
        {
            var own = OwnTables(entityType);
            var unknown = own.Length == 0
                || entityType.GetInsertStoredProcedure() is not null
                || entityType.GetUpdateStoredProcedure() is not null
                || entityType.GetDeleteStoredProcedure() is not null;
            _entityTables[entityType] = new EntityTables(own, DeleteTables(entityType), unknown);
        }
    }

    /// <summary>A hash of the model's full description: column names, types, mappings.</summary>
    public string ModelHash { get; }

    public IReadOnlySet<string> Tables { get; }

    public static ModelCacheInfo For(IModel model) => Infos.GetValue(model, static m => new ModelCacheInfo(m));

    /// <summary>
    /// The tables whose cached queries a save of an entry of <paramref name="entityType"/> in
    /// <paramref name="state"/> makes stale, or <see langword="null"/> when the save may write tables the
    /// model does not name (no table mapping, or stored procedures), so the whole database must go.
    /// </summary>
    public string[]? TablesWrittenBy(IEntityType entityType, EntityState state)
        => _entityTables.TryGetValue(entityType, out var tables) && !tables.WritesUnknownTables
            ? state == EntityState.Deleted ? tables.OnDelete : tables.OnSave
            : null;

    /// <summary>The tables of <paramref name="clrType"/> and its derived types, for manual invalidation and per-entity rules.</summary>
    public string[] TablesOf(IModel model, Type clrType)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entityType in model.GetEntityTypes())
        {
            if (clrType.IsAssignableFrom(entityType.ClrType) && _entityTables.TryGetValue(entityType, out var own))
            {
                tables.UnionWith(own.OnSave);
            }
        }

        return [.. tables];
    }

    public QueryAnalysis AnalyzeQuery(string sql)
    {
        if (_queryAnalyses.TryGetValue(sql, out var analysis))
        {
            return analysis;
        }

        analysis = SqlReadScanner.Analyze(sql, Tables);
        Remember(_queryAnalyses, sql, analysis);
        return analysis;
    }

    public WriteAnalysis AnalyzeWrite(string sql)
    {
        if (_writeAnalyses.TryGetValue(sql, out var analysis))
        {
            return analysis;
        }

        analysis = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);
        Remember(_writeAnalyses, sql, analysis);
        return analysis;
    }

    /// <summary>Bounded: an application that builds SQL with inlined values must not grow this without limit.</summary>
    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string sql, T value)
    {
        if (cache.Count >= MaxCachedAnalyses)
        {
            cache.Clear();
        }

        cache.TryAdd(sql, value);
    }

    private static string[] OwnTables(IEntityType entityType)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        for (var type = entityType; type is not null; type = type.BaseType)
        {
            foreach (var mapping in type.GetTableMappings())
            {
                tables.Add(mapping.Table.Name.ToLowerInvariant());
            }
        }

        return [.. tables];
    }

    /// <summary>
    /// A delete also changes the rows the database itself deletes or nulls through foreign keys
    /// (ON DELETE CASCADE / SET NULL), which the change tracker never sees when they were not loaded.
    /// </summary>
    private static string[] DeleteTables(IEntityType entityType)
    {
        var tables = new SortedSet<string>(OwnTables(entityType), StringComparer.Ordinal);
        var visited = new HashSet<IEntityType>();
        var pending = new Stack<IEntityType>();
        pending.Push(entityType);
        while (pending.Count > 0)
        {
            var principal = pending.Pop();
            if (!visited.Add(principal))
            {
                continue;
            }

            foreach (var foreignKey in principal.GetReferencingForeignKeys())
            {
                if (foreignKey.DeleteBehavior is not (DeleteBehavior.Cascade or DeleteBehavior.SetNull))
                {
                    continue;
                }

                foreach (var dependent in DependentTypes(foreignKey.DeclaringEntityType))
                {
                    tables.UnionWith(OwnTables(dependent));
                    if (foreignKey.DeleteBehavior == DeleteBehavior.Cascade)
                    {
                        pending.Push(dependent);
                    }
                }
            }
        }

        return [.. tables];
    }

    private static IEnumerable<IEntityType> DependentTypes(IEntityType declaring)
    {
        yield return declaring;
        foreach (var derived in declaring.GetDerivedTypes())
        {
            yield return derived;
        }
    }

    private static string HashModel(IModel model)
    {
        var description = model.ToDebugString(MetadataDebugStringOptions.LongDefault);
        var hash = XxHash128.Hash(Encoding.UTF8.GetBytes(description));
        return Convert.ToHexStringLower(hash);
    }

    private readonly record struct EntityTables(string[] OnSave, string[] OnDelete, bool WritesUnknownTables);
}
