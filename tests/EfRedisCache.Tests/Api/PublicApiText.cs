using System.Reflection;
using System.Text;

namespace EfRedisCache.Tests.Api;

/// <summary>Writes an assembly's public types and members as sorted lines, with C# nullability, for a snapshot.</summary>
internal static class PublicApiText
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static string Of(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in PublicTypes(assembly))
        {
            text.Append(Kind(type)).Append(' ').Append(TypeName(type)).Append('\n');
            foreach (var member in Members(type).Select(Describe).Order(StringComparer.Ordinal))
            {
                text.Append("    ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The XML documentation ids of the public types and members (as the compiler writes them).</summary>
    public static IEnumerable<string> DocumentationIds(Assembly assembly)
    {
        foreach (var type in PublicTypes(assembly))
        {
            yield return "T:" + type.FullName;
            foreach (var member in Members(type))
            {
                switch (member)
                {
                    case PropertyInfo property:
                        yield return $"P:{type.FullName}.{property.Name}";
                        break;
                    case FieldInfo field:
                        yield return $"F:{type.FullName}.{field.Name}";
                        break;
                    case MethodBase method when method.Name != ".ctor" || method.GetParameters().Length > 0:
                        // The compiler's default constructor has nothing to document; a declared one has.
                        yield return DocumentationId(method);
                        break;
                }
            }
        }
    }

    /// <summary>Every public method and declared constructor, with its documentation id.</summary>
    public static IEnumerable<(string Id, MethodBase Method)> Methods(Assembly assembly)
        => PublicTypes(assembly)
            .SelectMany(Members)
            .OfType<MethodBase>()
            .Where(m => m.Name != ".ctor" || m.GetParameters().Length > 0)
            .Select(m => (DocumentationId(m), m));

    private static string DocumentationId(MethodBase method)
        => "M:" + method.DeclaringType!.FullName + "." + method.Name.Replace('.', '#')
            + (method.IsGenericMethod ? "``" + method.GetGenericArguments().Length : "")
            + (method.GetParameters().Length == 0 ? "" : "(" + string.Join(",", method.GetParameters().Select(p => DocTypeName(p.ParameterType))) + ")");

    private static IEnumerable<Type> PublicTypes(Assembly assembly)
        => assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static IEnumerable<MemberInfo> Members(Type type)
        => type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m is not MethodInfo { IsSpecialName: true }); // property accessors: listed with their property

    private static string Kind(Type type)
        => type.IsInterface ? "interface"
            : type.IsValueType ? "struct"
            : type is { IsAbstract: true, IsSealed: true } ? "static class"
            : type.IsSealed ? "sealed class"
            : "class";

    private static string Describe(MemberInfo member) => member switch
    {
        PropertyInfo p => $"property {Format(Nullability.Create(p))} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : "")}{(p.SetMethod?.IsPublic == true ? "set; " : "")}}}",
        FieldInfo f => $"{(f.IsLiteral ? "const" : f.IsStatic ? "static field" : "field")} {Format(Nullability.Create(f))} {f.Name}{(f.IsLiteral ? " = " + f.GetRawConstantValue() : "")}",
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : m.IsAbstract ? "abstract " : m.IsVirtual ? "virtual " : "")}method {Format(Nullability.Create(m.ReturnParameter))} {m.Name}{Generic(m)}({Parameters(m)})",
        _ => $"{member.MemberType} {member.Name}",
    };

    private static string Generic(MethodInfo method)
        => method.IsGenericMethod
            ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name + Constraints(a))) + ">"
            : "";

    private static string Constraints(Type argument)
    {
        var constraints = new List<string>();
        if (argument.GenericParameterAttributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
        {
            constraints.Add("class");
        }

        constraints.AddRange(argument.GetGenericParameterConstraints().Select(TypeName));
        return constraints.Count == 0 ? "" : " : " + string.Join(", ", constraints);
    }

    private static string Parameters(MethodBase method)
        => string.Join(", ", method.GetParameters().Select(p =>
            (p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "")
            + (method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)) && p.Position == 0 ? "this " : "")
            + Format(Nullability.Create(p)) + " " + p.Name
            + (p.HasDefaultValue ? " = " + (p.DefaultValue ?? (p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? "default" : "null")) : "")));

    private static string Format(NullabilityInfo info)
    {
        var type = info.Type;
        string name;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }

        if (type.IsArray)
        {
            name = Format(info.ElementType!) + "[]";
        }
        else if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName ?? type.Name;
            name = definition[..definition.IndexOf('`', StringComparison.Ordinal)]
                + "<" + string.Join(", ", info.GenericTypeArguments.Select(Format)) + ">";
        }
        else
        {
            name = TypeName(type);
        }

        // An unconstrained type parameter reads as nullable; its '?' would say nothing about the API.
        return info.ReadState == NullabilityState.Nullable && !type.IsValueType && !type.IsGenericParameter ? name + "?" : name;
    }

    private static string TypeName(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName ?? type.Name;
            return definition[..definition.IndexOf('`', StringComparison.Ordinal)]
                + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">";
        }

        return type.FullName ?? type.Name;
    }

    private static string DocTypeName(Type type)
    {
        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        if (type.IsArray)
        {
            return DocTypeName(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName!;
            return definition[..definition.IndexOf('`', StringComparison.Ordinal)]
                + "{" + string.Join(",", type.GetGenericArguments().Select(DocTypeName)) + "}";
        }

        return type.FullName!;
    }
}
