using System.Runtime.CompilerServices;

namespace RoleSync.Functions.Tests;

/// <summary>
/// Renders an assembly's public surface as text lines in the format of eng/ServiceBusStandIn/PublicApi.txt: per type a
/// header, its Functions attributes, and one line per public or protected member, C#-like, with nullable annotations.
/// </summary>
internal static class PublicApi
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static IEnumerable<string> Describe(Assembly assembly, IReadOnlySet<string> omittedTypes) =>
        assembly.GetExportedTypes()
            .Where(t => !omittedTypes.Contains(t.FullName!))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(DescribeType);

    private static IEnumerable<string> DescribeType(Type type)
    {
        if (type.IsEnum)
        {
            yield return $"public enum {type.FullName}";
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => f.GetRawConstantValue()))
            {
                yield return $"  {field.Name} = {field.GetRawConstantValue()}";
            }
            yield break;
        }

        var inherited = type.BaseType?.GetInterfaces() ?? [];
        var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object)).Select(b => Name(b!))
            .Concat(type.GetInterfaces().Except(inherited).Select(Name).Order(StringComparer.Ordinal))
            .ToList();
        var modifiers = type.IsAbstract && type.IsSealed ? "static " : type.IsSealed ? "sealed " : type.IsAbstract ? "abstract " : "";
        yield return $"public {modifiers}class {type.FullName}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : "");
        foreach (var attribute in Attributes(type.CustomAttributes))
        {
            yield return "  " + attribute;
        }

        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var members = new List<string>();
        foreach (var ctor in type.GetConstructors(declared).Where(c => Visible(c)))
        {
            members.Add($"  {Access(ctor)} .ctor({Parameters(ctor)})");
        }
        foreach (var property in type.GetProperties(declared))
        {
            var getter = property.GetMethod is { } g && Visible(g) ? g : null;
            var setter = property.SetMethod is { } s && Visible(s) ? s : null;
            var accessor = getter ?? setter;
            if (accessor is null)
            {
                continue;
            }
            var prefix = string.Concat(Attributes(property.CustomAttributes).Select(a => a + " "));
            var accessors = (getter is null ? "" : "get; ") + (setter is null ? "" : (Access(setter) == Access(accessor) ? "" : Access(setter) + " ") + "set; ");
            members.Add($"  {prefix}{Access(accessor)} {Modifiers(accessor)}{TypeName(property.PropertyType, Nullability.Create(property))} {property.Name} {{ {accessors}}}");
        }
        foreach (var method in type.GetMethods(declared).Where(m => Visible(m) && !m.IsSpecialName))
        {
            members.Add($"  {Access(method)} {Modifiers(method)}{TypeName(method.ReturnType, Nullability.Create(method.ReturnParameter))} {method.Name}({Parameters(method)})");
        }
        foreach (var member in members.Order(StringComparer.Ordinal))
        {
            yield return member;
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public" : "protected";

    private static string Modifiers(MethodInfo method) =>
        method.IsStatic ? "static " :
        method.IsAbstract ? "abstract " :
        method.IsVirtual && !method.IsFinal ? (method.GetBaseDefinition() == method ? "virtual " : "override ") :
        "";

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p =>
    {
        var text = $"{TypeName(p.ParameterType, Nullability.Create(p))} {p.Name}";
        if (!p.HasDefaultValue)
        {
            return text;
        }
        return text + " = " + p.DefaultValue switch
        {
            null => "default",
            _ when p.ParameterType.IsEnum => $"{p.ParameterType.FullName}.{Enum.GetName(p.ParameterType, p.DefaultValue!)}",
            bool b => b ? "true" : "false",
            var value => value.ToString(),
        };
    }));

    private static IEnumerable<string> Attributes(IEnumerable<CustomAttributeData> attributes) =>
        attributes
            .Where(a => a.AttributeType.Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true)
            .Select(a => $"[{a.AttributeType.FullName}({string.Join(", ", a.ConstructorArguments.Select(Argument).Concat(a.NamedArguments.Select(n => $"{n.MemberName} = {Argument(n.TypedValue)}")))})]")
            .Order(StringComparer.Ordinal);

    private static string Argument(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        CustomAttributeTypedArgument inner => Argument(inner),
        Type type => $"typeof({type.FullName})",
        string text => $"\"{text}\"",
        bool flag => flag ? "true" : "false",
        // As a number: enums may give one value two names (ConverterFallbackBehavior.Default == Allow).
        var value when argument.ArgumentType.IsEnum => $"({argument.ArgumentType.FullName}){Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}",
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static string TypeName(Type type, NullabilityInfo? nullability = null)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }
        var suffix = !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : "";
        return Name(type) + suffix;
    }

    private static string Name(Type type)
    {
        var keyword = Type.GetTypeCode(type) switch
        {
            TypeCode.String => "string",
            TypeCode.Boolean => "bool",
            TypeCode.Int32 => "int",
            TypeCode.Int64 => "long",
            _ => type == typeof(object) ? "object" : type == typeof(void) ? "void" : null,
        };
        if (keyword is not null && !type.IsEnum)
        {
            return keyword;
        }
        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }
        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }
        var name = new StringBuilder(type.GetGenericTypeDefinition().FullName![..type.GetGenericTypeDefinition().FullName!.IndexOf('`', StringComparison.Ordinal)]);
        name.Append('<').AppendJoin(", ", type.GetGenericArguments().Select(Name)).Append('>');
        return name.ToString();
    }
}
