using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// An application's outbox interceptor, another common kind: once a save has succeeded (SavedChanges) it writes a
/// row of its own (here a tag) with a second SaveChanges of the same context, nested inside the first one's end.
/// </summary>
public sealed class OutboxInterceptor : SaveChangesInterceptor
{
    private bool _saving;

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (!_saving && eventData.Context is ShopContext context)
        {
            _saving = true;
            try
            {
                context.Tags.Add(new Tag { Label = $"outbox-{result}" });
                context.SaveChanges();
            }
            finally
            {
                _saving = false;
            }
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (!_saving && eventData.Context is ShopContext context)
        {
            _saving = true;
            try
            {
                context.Tags.Add(new Tag { Label = $"outbox-{result}" });
                await context.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                _saving = false;
            }
        }

        return result;
    }
}
