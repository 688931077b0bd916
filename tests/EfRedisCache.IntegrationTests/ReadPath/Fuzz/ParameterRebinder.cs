using System.Linq.Expressions;

namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>Puts one lambda's body over another lambda's parameter, so generated predicates combine with and, or, not.</summary>
internal sealed class ParameterRebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
{
    public static Expression<Func<FuzzItem, bool>> And(Expression<Func<FuzzItem, bool>> left, Expression<Func<FuzzItem, bool>> right)
        => Expression.Lambda<Func<FuzzItem, bool>>(Expression.AndAlso(left.Body, Rebind(right, left.Parameters[0])), left.Parameters);

    public static Expression<Func<FuzzItem, bool>> Or(Expression<Func<FuzzItem, bool>> left, Expression<Func<FuzzItem, bool>> right)
        => Expression.Lambda<Func<FuzzItem, bool>>(Expression.OrElse(left.Body, Rebind(right, left.Parameters[0])), left.Parameters);

    public static Expression<Func<FuzzItem, bool>> Not(Expression<Func<FuzzItem, bool>> predicate)
        => Expression.Lambda<Func<FuzzItem, bool>>(Expression.Not(predicate.Body), predicate.Parameters);

    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);

    private static Expression Rebind(Expression<Func<FuzzItem, bool>> lambda, ParameterExpression to)
        => new ParameterRebinder(lambda.Parameters[0], to).Visit(lambda.Body);
}
