using System.Runtime.CompilerServices;
using EfRedisCache.Sql;
using StackExchange.Redis;

namespace EfRedisCache.Keys;

/// <summary>
/// The version keys a query depends on, built once per query shape rather than once per execution: for a
/// given analysis (one per SQL text), database and tags the names never change, and a hit should not pay for
/// formatting them. Only a key lookup's row key depends on a parameter value; it alone is built per call.
/// </summary>
/// <remarks>
/// Remembered beside the analysis in a <see cref="ConditionalWeakTable{TKey, TValue}"/>, so the memory lives
/// exactly as long as <see cref="Metadata.ModelCacheInfo"/>'s bounded analysis cache keeps the analysis. One
/// slot per analysis: a query run against many databases in turn rebuilds its keys, which costs what every
/// call cost before, never a wrong key.
/// </remarks>
internal static class DependencyKeys
{
    private static readonly ConditionalWeakTable<QueryAnalysis, Shape> Shapes = [];

    /// <summary>
    /// Global epoch, database epoch, the database's write counter when the query reads unknown sources, its
    /// tables, its tags. The array is shared by every execution of the query: callers must not write to it.
    /// </summary>
    public static RedisKey[] ForTables(RedisKeyNames keys, string databaseId, QueryAnalysis analysis, string[] tags)
        => ShapeFor(keys, databaseId, analysis, tags).TableDependencies;

    /// <summary>Global epoch, database epoch, the table's bulk epoch, the row's version, the tags: a new array, since the row varies.</summary>
    public static RedisKey[] ForRow(RedisKeyNames keys, string databaseId, QueryAnalysis analysis, PrimaryKeyLookup lookup, string[] tags, ReadOnlySpan<char> rowKey)
    {
        var shape = ShapeFor(keys, databaseId, analysis, tags);
        var head = shape.RowHead ??= [keys.GlobalEpoch, keys.DatabaseEpoch(databaseId), keys.TableBulk(databaseId, lookup.Table)];
        var rowPrefix = shape.RowPrefix ??= keys.RowPrefix(databaseId, lookup.Table);
        var dependencies = new RedisKey[head.Length + 1 + shape.TagKeys.Length];
        head.CopyTo(dependencies, 0);
        dependencies[head.Length] = string.Concat(rowPrefix, rowKey);
        shape.TagKeys.CopyTo(dependencies, head.Length + 1);
        return dependencies;
    }

    private static Shape ShapeFor(RedisKeyNames keys, string databaseId, QueryAnalysis analysis, string[] tags)
    {
        if (Shapes.TryGetValue(analysis, out var shape)
            && ReferenceEquals(shape.Keys, keys)
            && string.Equals(shape.DatabaseId, databaseId, StringComparison.Ordinal)
            && shape.Tags.AsSpan().SequenceEqual(tags))
        {
            return shape;
        }

        shape = new Shape(keys, databaseId, tags, Array.ConvertAll(tags, keys.Tag), TableDependenciesOf(keys, databaseId, analysis, tags));
        Shapes.AddOrUpdate(analysis, shape);
        return shape;
    }

    private static RedisKey[] TableDependenciesOf(RedisKeyNames keys, string databaseId, QueryAnalysis analysis, string[] tags)
    {
        var dependencies = new RedisKey[2 + (analysis.ReadsUnknownSources ? 1 : 0) + analysis.Tables.Length + tags.Length];
        var i = 0;
        dependencies[i++] = keys.GlobalEpoch;
        dependencies[i++] = keys.DatabaseEpoch(databaseId);
        if (analysis.ReadsUnknownSources)
        {
            dependencies[i++] = keys.DatabaseWrites(databaseId);
        }

        foreach (var table in analysis.Tables)
        {
            dependencies[i++] = keys.Table(databaseId, table);
        }

        foreach (var tag in tags)
        {
            dependencies[i++] = keys.Tag(tag);
        }

        return dependencies;
    }

    /// <summary>
    /// What one analysis resolved to for one database. The row parts are filled on first use by a key lookup;
    /// two threads racing to fill them build equal values, so the race is harmless.
    /// </summary>
    private sealed class Shape(RedisKeyNames keys, string databaseId, string[] tags, RedisKey[] tagKeys, RedisKey[] tableDependencies)
    {
        public RedisKeyNames Keys { get; } = keys;

        public string DatabaseId { get; } = databaseId;

        public string[] Tags { get; } = tags;

        public RedisKey[] TagKeys { get; } = tagKeys;

        public RedisKey[] TableDependencies { get; } = tableDependencies;

        public RedisKey[]? RowHead { get; set; }

        public string? RowPrefix { get; set; }
    }
}
