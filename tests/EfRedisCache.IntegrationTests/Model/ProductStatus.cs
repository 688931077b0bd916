namespace EfRedisCache.IntegrationTests.Model;

public enum ProductStatus
{
    Draft = 0,
    Active = 1,
    Discontinued = 2,
}
