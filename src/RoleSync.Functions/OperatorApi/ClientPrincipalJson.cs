using System.Text.Json.Serialization;

namespace RoleSync.Functions.OperatorApi;

/// <summary>Reads the platform's principal JSON (snake_case names; unknown members ignored: the platform may add some).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ClientPrincipalWire))]
internal sealed partial class ClientPrincipalJson : JsonSerializerContext;
