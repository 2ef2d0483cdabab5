using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoleSync;

/// <summary>
/// System.Text.Json's string enum converter with kebab-case names (<c>WouldApply</c> → <c>"would-apply"</c>;
/// <see cref="JsonStringEnumMemberNameAttribute"/> names a member otherwise). RoleSync's wire enums name it in a
/// <see cref="JsonConverterAttribute"/>, so every serializer context (operator API, CLI) writes the same names.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
    where TEnum : struct, Enum
{
    private static readonly JsonTypeInfo<TEnum> TypeInfo = JsonTypeInfo.CreateJsonTypeInfo<TEnum>(new JsonSerializerOptions
    {
        Converters = { new KebabCaseEnumConverter<TEnum>() },
        TypeInfoResolver = JsonTypeInfoResolver.Combine(),
    });

    /// <summary>The name this converter writes for <paramref name="value"/>, for text that is not JSON (log records, summaries).</summary>
    public static string NameOf(TEnum value) => JsonSerializer.SerializeToElement(value, TypeInfo).GetString()!;

    /// <summary>The member this converter writes as <paramref name="name"/>; null for any other text.</summary>
    public static TEnum? ValueOf(string? name) =>
        name is null ? null : Enum.GetValues<TEnum>().Select(v => (TEnum?)v).FirstOrDefault(v => NameOf(v!.Value) == name);
}
