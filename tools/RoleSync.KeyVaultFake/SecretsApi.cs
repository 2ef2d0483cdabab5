using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RoleSync.KeyVaultFake;

/// <summary>
/// The Key Vault secrets read API: bearer challenge, secret bundles, Key Vault error bodies.
/// Never logs or echoes secret values anywhere but in a 200 body.
/// </summary>
internal sealed class SecretsApi(SecretStore store)
{
    private const string Challenge =
        "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private int _reads;
    private int _failWith; // 0 = answer normally

    public int Reads => Volatile.Read(ref _reads);

    public int? FailWith
    {
        get => Volatile.Read(ref _failWith) is var status and not 0 ? status : null;
        set
        {
            if (value is < 400 or > 599)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "FailWith must be an HTTP error status (400-599) or null.");
            }

            Volatile.Write(ref _failWith, value ?? 0);
        }
    }

    public void Map(WebApplication app) =>
        app.MapGet("/secrets/{name}/{version?}", (HttpContext context, string name, string? version) => Get(context, name, version));

    private IResult Get(HttpContext context, string name, string? version)
    {
        if (!HasBearerToken(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
            return Error(StatusCodes.Status401Unauthorized, "Unauthorized", "Request is missing a Bearer token.");
        }

        Interlocked.Increment(ref _reads);

        if (FailWith is { } status)
        {
            return Failure(status);
        }

        if (!context.Request.Query.ContainsKey("api-version"))
        {
            return Error(StatusCodes.Status400BadRequest, "BadParameter", "The api-version query parameter is missing.");
        }

        var secret = store.Find(name, version);
        if (secret is null)
        {
            var id = version is null ? name : $"{name}/{version}";
            return Error(
                StatusCodes.Status404NotFound,
                "SecretNotFound",
                $"A secret with (name/id) {id} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.");
        }

        var created = secret.Created.ToUnixTimeSeconds();
        var bundle = new SecretBundle(
            secret.Value,
            $"https://{context.Request.Host}/secrets/{secret.Name}/{secret.Version}",
            new SecretAttributes(true, created, created, 90, "Recoverable+Purgeable"),
            new Dictionary<string, string>());
        return Results.Json(bundle, Json);
    }

    private static bool HasBearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(header.Parameter);

    private static IResult Failure(int status) => status switch
    {
        StatusCodes.Status403Forbidden => Error(
            status,
            "Forbidden",
            "Caller is not authorized to perform action on resource. If role assignments, deny assignments or role definitions were changed recently, please observe propagation time. Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
            new InnerError("ForbiddenByRbac")),
        StatusCodes.Status429TooManyRequests => Error(status, "Throttled", "Request was not allowed because the caller made too many requests."),
        _ => Error(status, ErrorCode(status), $"The service answered {status} (simulated by the Key Vault fake)."),
    };

    // "Service Unavailable" → "ServiceUnavailable"; statuses without a reason phrase get a generic code.
    private static string ErrorCode(int status) =>
        ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase.Replace(" ", "", StringComparison.Ordinal) : "ServiceError";

    private static IResult Error(int status, string code, string message, InnerError? inner = null) =>
        Results.Json(new ErrorBody(new ErrorDetail(code, message, inner)), Json, statusCode: status);

    private sealed record SecretBundle(string Value, string Id, SecretAttributes Attributes, IReadOnlyDictionary<string, string> Tags);

    private sealed record SecretAttributes(bool Enabled, long Created, long Updated, int RecoverableDays, string RecoveryLevel);

    private sealed record ErrorBody(ErrorDetail Error);

    private sealed record ErrorDetail(string Code, string Message, [property: JsonPropertyName("innererror")] InnerError? InnerError);

    private sealed record InnerError(string Code);
}
