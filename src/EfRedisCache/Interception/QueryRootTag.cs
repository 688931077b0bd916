using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace EfRedisCache.Interception;

/// <summary>
/// What the cache's query-expression interceptors (<see cref="RawSqlQueryInterceptor"/>, <see cref="QueryShapeTagger"/>)
/// do to a tree: find <c>TagWith</c> calls, and wrap a query root in one, which puts the tag in the SQL.
/// </summary>
internal static class QueryRootTag
{
    /// <summary><c>EntityFrameworkQueryableExtensions.TagWith&lt;T&gt;(IQueryable&lt;T&gt;, string)</c>, open.</summary>
    public static MethodInfo TagWith { get; } = typeof(EntityFrameworkQueryableExtensions)
        .GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.TagWith) && m.GetParameters().Length == 2);

    /// <summary><paramref name="root"/> tagged with <paramref name="tag"/>; a root that is not a generic queryable is left as it is.</summary>
    public static Expression Wrap(QueryRootExpression root, string tag)
        => root.Type.IsGenericType
            ? Expression.Call(TagWith.MakeGenericMethod(root.Type.GetGenericArguments()[0]), root, Expression.Constant(tag))
            : root;
}
