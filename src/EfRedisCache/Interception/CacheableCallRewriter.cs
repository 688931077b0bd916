using System.Linq.Expressions;
using EfRedisCache.Keys;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.Interception;

/// <summary>
/// Turns a <c>Cacheable</c> or <c>NotCacheable</c> call that EF Core left in the query tree into the <c>TagWith</c>
/// it stands for. EF Core runs the call itself when all of it can be evaluated before translation (an ordinary query,
/// or a compiled query whose call comes before any use of its parameters); otherwise, as after a <c>Where</c> on a
/// compiled query's parameter or in a subquery on an outer row, the call stays, and EF Core said only that it "could
/// not be translated" (<c>CompiledCacheableUnitTests</c>). A TTL or tag that is not a constant there cannot become
/// SQL text once per query shape: refused with the rule and its fix. Runs first of the cache's query-expression
/// interceptors, so <see cref="RawSqlQueryInterceptor"/> and <see cref="QueryShapeTagger"/> see the marker as a tag.
/// </summary>
internal sealed class CacheableCallRewriter : IQueryExpressionInterceptor
{
    private CacheableCallRewriter()
    {
    }

    /// <summary>The one instance, a service of EF Core's internal provider, as <see cref="RawSqlQueryInterceptor.Instance"/>.</summary>
    public static CacheableCallRewriter Instance { get; } = new();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
        => new Rewrite().Visit(queryExpression);

    private static string MarkerOf(MethodCallExpression call)
    {
        if (call.Method.Name == nameof(CacheableQueryableExtensions.NotCacheable))
        {
            return QueryMarker.NotCacheableText;
        }

        if (call.Arguments.Count == 1)
        {
            return QueryMarker.FormatCacheable(null, []);
        }

        if (call.Arguments[1] is not ConstantExpression { Value: TimeSpan ttl } || !TryReadTags(call.Arguments[2], out var tags))
        {
            throw new InvalidOperationException(
                "Cacheable's ttl and tags must be constants inside a compiled query (EF.CompileQuery, EF.CompileAsyncQuery) and in a "
                + "subquery on an outer row: they become part of the query's SQL text, so they cannot be the compiled query's "
                + "parameters or values computed from them. Write them as constants (Cacheable(TimeSpan.FromMinutes(5), \"catalog\")) "
                + "or static readonly fields, or compile one query per TTL and tag set.");
        }

        // The call never ran, so neither did its argument checks: the marker is made as it makes it.
        return CacheableQueryableExtensions.CacheableMarker(ttl, tags);
    }

    /// <summary>The tags as a constant array, or as an array of constants (<c>new[] { "a", "b" }</c>, how C# passes <c>params</c>).</summary>
    private static bool TryReadTags(Expression argument, out string[] tags)
    {
        switch (argument)
        {
            case ConstantExpression { Value: string[] constant }:
                tags = constant;
                return true;
            case NewArrayExpression { NodeType: ExpressionType.NewArrayInit } array when array.Expressions.All(e => e is ConstantExpression { Value: string }):
                tags = [.. array.Expressions.Select(e => (string)((ConstantExpression)e).Value!)];
                return true;
            default:
                tags = [];
                return false;
        }
    }

    private sealed class Rewrite : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(CacheableQueryableExtensions))
            {
                return base.VisitMethodCall(node);
            }

            var source = Visit(node.Arguments[0]);
            var elementType = node.Method.GetGenericArguments()[0];
            return Expression.Call(QueryRootTag.TagWith.MakeGenericMethod(elementType), source, Expression.Constant(MarkerOf(node)));
        }
    }
}
