using EfRedisCache.Storage;
using Xunit;

namespace EfRedisCache.Tests.Storage;

/// <summary>Which collection types the codec stores, and the copies a replay hands out of them.</summary>
public sealed class CollectionShapeUnitTests
{
    [Theory]
    [InlineData(typeof(int[]), typeof(int), false, false)]
    [InlineData(typeof(int?[]), typeof(int), true, false)]
    [InlineData(typeof(string[]), typeof(string), false, false)]
    [InlineData(typeof(List<string>), typeof(string), false, true)]
    [InlineData(typeof(List<Guid?>), typeof(Guid), true, true)]
    public void Arrays_and_lists_of_scalars_have_a_shape(Type type, Type scalar, bool nullable, bool isList)
    {
        var shape = CollectionShape.Of(type);

        Assert.NotNull(shape);
        Assert.Equal(scalar, shape.Scalar);
        Assert.Equal(nullable, shape.IsNullable);
        Assert.Equal(isList, shape.IsList);
        Assert.Same(shape, CollectionShape.Of(type));
    }

    [Theory]
    [InlineData(typeof(byte[]))]
    [InlineData(typeof(byte[][]))]
    [InlineData(typeof(int[][]))]
    [InlineData(typeof(int[,]))]
    [InlineData(typeof(DayOfWeek[]))]
    [InlineData(typeof(List<DayOfWeek>))]
    [InlineData(typeof(List<List<int>>))]
    [InlineData(typeof(HashSet<int>))]
    [InlineData(typeof(object[]))]
    [InlineData(typeof(int))]
    public void Other_types_have_none(Type type) => Assert.Null(CollectionShape.Of(type));

    [Fact]
    public void Copies_are_equal_new_instances_of_the_same_type()
    {
        var list = new List<string> { "a", "b" };
        var array = new int?[] { 1, null };

        var listCopy = Assert.IsType<List<string>>(CollectionShape.Of(list.GetType())!.Copy(list));
        var arrayCopy = Assert.IsType<int?[]>(CollectionShape.Of(array.GetType())!.Copy(array));
        listCopy[0] = "changed";
        arrayCopy[0] = 9;

        Assert.Equal(["a", "b"], list);
        Assert.Equal([1, null], array);
    }

    [Fact]
    public void Decoding_names_the_same_shape_as_the_type()
    {
        Assert.Same(CollectionShape.Of(typeof(List<long?>)), CollectionShape.ForDecoding(ValueTypeCode.Int64, nullable: true, isList: true));
        Assert.Same(CollectionShape.Of(typeof(string[])), CollectionShape.ForDecoding(ValueTypeCode.String, nullable: false, isList: false));
        Assert.Throws<CacheEntryFormatException>(() => CollectionShape.ForDecoding(ValueTypeCode.String, nullable: true, isList: false));
    }
}
