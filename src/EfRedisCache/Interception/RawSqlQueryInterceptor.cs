using System.Linq.Expressions;
using EfRedisCache.Keys;
using Microsoft.EntityFrameworkCore.Diagnostics;
#pragma warning disable EF1001 // The raw-SQL query roots are EF Core's internal types; no public API tells a query is rooted in raw SQL.
using Microsoft.EntityFrameworkCore.Query.Internal;

namespace EfRedisCache.Interception;

/// <summary>
/// Marks a query rooted in raw SQL (<c>FromSql</c>, <c>SqlQuery</c>) <c>NotCacheable()</c> unless the query itself
/// says <c>Cacheable()</c>: raw SQL may call a function run for its effect (a write, a job claim), which a hit would
/// skip, and the cache cannot see into it; so <c>CacheAllQueries</c> and <c>CacheEntity</c> rules cache LINQ queries
/// only (<c>PostgreSqlSessionEffectTests</c>). Runs when EF Core compiles a query shape, not per execution. The
/// command cannot tell: EF Core composes raw SQL into its own SQL, under the command source of a LINQ query. Marks
/// whatever the registration's settings: EF Core's compiled-query cache is shared by contexts of other settings.
/// </summary>
internal sealed class RawSqlQueryInterceptor : IQueryExpressionInterceptor
{
    private RawSqlQueryInterceptor()
    {
    }

    /// <summary>
    /// The one instance, a service of EF Core's internal provider (<see cref="Configuration.RedisCacheAsideOptionsExtension"/>),
    /// which every registration shares.
    /// </summary>
    public static RawSqlQueryInterceptor Instance { get; } = new();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
    {
        var scan = new Scan();
        scan.Visit(queryExpression);
        return scan.RawSql ? new MarkRawRoots(notCacheable: !scan.Marked).Visit(queryExpression) : queryExpression;
    }

    /// <summary>Whether <paramref name="node"/> is a raw SQL query root; <see cref="QueryShapeTagger"/> asks too.</summary>
    internal static bool IsRawSqlRoot(Expression node) => node is FromSqlQueryRootExpression or SqlQueryRootExpression;

    private sealed class Scan : ExpressionVisitor
    {
        public bool RawSql { get; private set; }

        /// <summary>The query says Cacheable() or NotCacheable() itself.</summary>
        public bool Marked { get; private set; }

        protected override Expression VisitExtension(Expression node)
        {
            RawSql |= IsRawSqlRoot(node);
            return node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression ? node : base.VisitExtension(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.IsGenericMethod
                && node.Method.GetGenericMethodDefinition() == QueryRootTag.TagWith
                && node.Arguments[1] is ConstantExpression { Value: string tag }
                && (tag.StartsWith(QueryMarker.CacheablePrefix, StringComparison.Ordinal) || tag == QueryMarker.NotCacheableText))
            {
                Marked = true;
            }

            return base.VisitMethodCall(node);
        }
    }

    /// <summary>
    /// Tags each raw root <see cref="QueryMarker.RawSqlText"/>, so the command tells raw SQL from EF Core's own: a call of
    /// a function that is not a built-in makes raw SQL depend on every write (<c>PostgreSqlUnmappedFunctionTests</c>);
    /// and <c>NotCacheable()</c> when the query is not marked.
    /// </summary>
    private sealed class MarkRawRoots(bool notCacheable) : ExpressionVisitor
    {
        protected override Expression VisitExtension(Expression node)
        {
            if (node is not Microsoft.EntityFrameworkCore.Query.QueryRootExpression root)
            {
                return base.VisitExtension(node);
            }

            if (!IsRawSqlRoot(root) || !root.Type.IsGenericType)
            {
                return root;
            }

            var tagWith = QueryRootTag.TagWith.MakeGenericMethod(root.Type.GetGenericArguments()[0]);
            Expression tagged = Expression.Call(tagWith, root, Expression.Constant(QueryMarker.RawSqlText));
            return notCacheable ? Expression.Call(tagWith, tagged, Expression.Constant(QueryMarker.NotCacheableText)) : tagged;
        }
    }
}
