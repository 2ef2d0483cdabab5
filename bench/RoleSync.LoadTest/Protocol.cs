using System.Text.Json.Serialization;

namespace RoleSync.LoadTest;

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(VariantSpec))]
[JsonSerializable(typeof(ChildResult))]
[JsonSerializable(typeof(ScaleOutResult))]
internal sealed partial class ProtocolJson : JsonSerializerContext;

/// <summary>Lines the child writes on stdout; anything else it prints is passed through.</summary>
internal static class Protocol
{
    public const string Ready = "@ready";
    public const string Go = "go";
    public const string ResultPrefix = "@result ";

    /// <summary>Tells the customer app (scale-out runs) that RoleSync is done.</summary>
    public const string Stop = "stop";
}
