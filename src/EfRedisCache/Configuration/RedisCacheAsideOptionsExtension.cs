using EfRedisCache.Interception;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EfRedisCache.Configuration;

/// <summary>
/// Marks a context's options as cached and carries its <see cref="CacheRuntime"/>: the invalidator finds it
/// here, and interceptors of a superseded registration use it to tell they are no longer the active one. Its one
/// service, the same for every runtime, asks for no internal service provider per runtime, so any number of
/// runtimes (key prefixes, tenants) share EF Core's.
/// </summary>
internal sealed class RedisCacheAsideOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public RedisCacheAsideOptionsExtension(CacheRuntime runtime)
    {
        Runtime = runtime;
    }

    public CacheRuntime Runtime { get; }

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <summary>
    /// The raw-SQL marker is a service of EF Core's provider, not an <c>AddInterceptors</c> entry: a query-expression
    /// interceptor given there is a singleton interceptor, which EF Core refuses (every context throws) when the
    /// application passes its own provider (<c>UseInternalServiceProvider</c>). Such a provider gets it from
    /// <see cref="RedisCacheAsideServiceCollectionExtensions.AddEntityFrameworkRedisCacheAside"/>, or has none: README says what that means.
    /// </summary>
    public void ApplyServices(IServiceCollection services)
        => services.AddEntityFrameworkRedisCacheAside();

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(RedisCacheAsideOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new RedisCacheAsideOptionsExtension Extension => (RedisCacheAsideOptionsExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"RedisCacheAside(KeyPrefix={Extension.Runtime.Settings.KeyPrefix}) ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
            => debugInfo["EfRedisCache:KeyPrefix"] = Extension.Runtime.Settings.KeyPrefix;
    }
}
