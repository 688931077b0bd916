using System.Globalization;
using System.IO.Hashing;
using System.Linq.Expressions;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfRedisCache.Interception;

/// <summary>
/// Tags every query with a hash of its LINQ shape, so the SQL (and with it the entry key) tells apart two queries that
/// send the same SQL but read its columns as other types: <c>SqlQuery&lt;long&gt;</c> and <c>SqlQuery&lt;decimal&gt;</c>
/// of one text, or two entity types mapped over one table. The cache records each cell as the provider's typed getter
/// converted it (SQLite's <c>GetInt64</c> makes 49 of the text "49.99"), so one query's entry cannot answer the
/// other; they shared it (found by review, <c>ReadPath/Values/SameSqlOtherReadTests</c>). Runs when EF Core compiles a
/// query shape, on the parameterized tree, so the hash is the same for every execution and in every process running
/// the same code. Bulk writes (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>) keep their SQL as it is.
/// </summary>
internal sealed class QueryShapeTagger : IQueryExpressionInterceptor
{
    public const string TagPrefix = "EfRedisCache.Shape ";

    private QueryShapeTagger()
    {
    }

    /// <summary>The one instance, a service of EF Core's internal provider, as <see cref="RawSqlQueryInterceptor.Instance"/>.</summary>
    public static QueryShapeTagger Instance { get; } = new();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
    {
        if (queryExpression is MethodCallExpression { Method.Name: "ExecuteUpdate" or "ExecuteDelete" })
        {
            return queryExpression;
        }

        var shape = new WithoutReadNeutralCalls().Visit(queryExpression);
        var types = new ShapeTypes();
        types.Visit(shape);

        // Expression.ToString prints a literal (1.5m, a DateTime) in the current culture: processes, or requests, in
        // other cultures sent other SQL for one query and shared neither its entry nor its stampede lock
        // (QueryShapeTaggerUnitTests).
        var culture = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            text = string.Concat(shape.ToString(), "\n", types.Text);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var tag = TagPrefix + XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan())).ToString("x16", CultureInfo.InvariantCulture);
        return new TagFirstRoot(tag).Visit(queryExpression);
    }

    /// <summary>
    /// The tree without the calls that change neither the SQL nor how its columns are read: tracking, so a tracking
    /// and a no-tracking read of one query still share an entry (<c>TransparencyTests</c>); tags, which are in the
    /// SQL anyway.
    /// </summary>
    private sealed class WithoutReadNeutralCalls : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
            => node.Method.DeclaringType == typeof(EntityFrameworkQueryableExtensions)
                && node.Method.Name is nameof(EntityFrameworkQueryableExtensions.AsNoTracking)
                    or nameof(EntityFrameworkQueryableExtensions.AsTracking)
                    or nameof(EntityFrameworkQueryableExtensions.AsNoTrackingWithIdentityResolution)
                    or nameof(EntityFrameworkQueryableExtensions.TagWith)
                    or nameof(EntityFrameworkQueryableExtensions.TagWithCallSite)
                ? Visit(node.Arguments[0])
                : base.VisitMethodCall(node);

        protected override Expression VisitExtension(Expression node)
            => node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression ? node : base.VisitExtension(node);
    }

    /// <summary>
    /// The assembly-qualified type of every node: <see cref="Expression.ToString"/> prints neither a raw SQL root's
    /// element type nor what a projection converts to; and the entity type of every entity root, whose CLR type does
    /// not name it when several shared-type entity types (property bags) share one (<c>SameSqlOtherReadTests</c>).
    /// </summary>
    private sealed class ShapeTypes : ExpressionVisitor
    {
        private readonly StringBuilder _text = new();

        public string Text => _text.ToString();

        public override Expression? Visit(Expression? node)
        {
            if (node is not null)
            {
                // Assembly-qualified, generic arguments too: Type.ToString names neither, and two types of one full name
                // from two assemblies (plugins, load contexts) shared an entry, one served the other's converted values
                // (SameSqlOtherReadTests). Runs only when EF Core compiles a query, not on each execution.
                _text.Append(node.NodeType).Append(':').Append(node.Type.AssemblyQualifiedName ?? node.Type.ToString()).Append(';');
                if (node is Microsoft.EntityFrameworkCore.Query.EntityQueryRootExpression root)
                {
                    _text.Append("entity:").Append(root.EntityType.Name).Append(';');
                    if (RawSqlQueryInterceptor.IsRawSqlRoot(root))
                    {
                        AppendProperties(root.EntityType);
                    }
                }
            }

            return node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression ? node : base.Visit(node);
        }

        /// <summary>
        /// How raw SQL's rows are read into <paramref name="entityType"/>. <c>SqlQuery&lt;T&gt;</c> of an unmapped
        /// <c>T</c> reads through an ad-hoc entity type that is in no model, so the model hash in the key does not
        /// describe it; a release that changed a property of <c>T</c> (<c>long</c> to <c>decimal</c>) but not its
        /// assembly's version read the old release's entries, truncated (<c>SameSqlOtherReadTests</c>). A mapped
        /// entity type's root needs none of this: the model hash describes it.
        /// </summary>
        private void AppendProperties(IEntityType entityType)
        {
            foreach (var property in entityType.GetFlattenedProperties())
            {
                var mapping = property.FindTypeMapping();
                _text.Append("property:").Append(property.Name)
                    .Append(' ').Append(property.ClrType.AssemblyQualifiedName)
                    .Append(' ').Append(property.GetColumnName())
                    .Append(' ').Append(mapping?.Converter?.ProviderClrType.AssemblyQualifiedName)
                    .Append(' ').Append((mapping as RelationalTypeMapping)?.StoreType).Append(';');
            }
        }
    }

    /// <summary>EF Core gathers tags from anywhere in the tree; one on the first root is enough.</summary>
    private sealed class TagFirstRoot(string tag) : ExpressionVisitor
    {
        private bool _tagged;

        protected override Expression VisitExtension(Expression node)
        {
            if (node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression root && !_tagged && root.Type.IsGenericType)
            {
                _tagged = true;
                return QueryRootTag.Wrap(root, tag);
            }

            return node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression ? node : base.VisitExtension(node);
        }
    }
}
