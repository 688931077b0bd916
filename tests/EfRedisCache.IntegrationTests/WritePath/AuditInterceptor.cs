using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// An application's audit interceptor, the common kind: in SavingChanges it adds a row of its own (here a tag
/// naming what was saved) to the same save.
/// </summary>
public sealed class AuditInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Audit(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Audit(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Audit(DbContextEventData eventData)
    {
        if (eventData.Context is ShopContext context)
        {
            context.Tags.Add(new Tag { Label = $"audit-{context.ChangeTracker.Entries().Count()}" });
        }
    }
}
