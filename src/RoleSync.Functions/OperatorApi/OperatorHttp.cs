using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// What the operator API's functions share: bounded body reading, strict JSON (unknown or duplicate fields are
/// errors), problem+json errors, and the caller's identity for audit records.
/// </summary>
internal static class OperatorHttp
{
    /// <summary>Bodies above this are refused with 413 before parsing.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Easy Auth puts the signed-in principal here; without Easy Auth only the function key identifies the caller.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    public static string Caller(HttpRequest request) =>
        request.Headers.TryGetValue(PrincipalHeader, out var name) && !string.IsNullOrWhiteSpace(name) ? name.ToString() : "function key";

    /// <summary>The body, or null with a 413/400 problem in <paramref name="problem"/>.</summary>
    public static async Task<(byte[]? Body, IActionResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, TooLarge());
            }
        }
        return buffer.Length == 0
            ? (null, Problem(StatusCodes.Status400BadRequest, "Empty body", "The request needs a JSON body."))
            : (buffer.ToArray(), null);
    }

    private static IActionResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Request bodies are limited to {MaxBodyBytes} bytes (1 MiB).");

    /// <summary>Strict deserialization: unknown fields and duplicate fields are errors, named in the problem.</summary>
    public static (T? Value, IActionResult? Problem) Deserialize<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo);
            return value is null ? (default, Problem(400, "Invalid body", "The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (default, Problem(StatusCodes.Status400BadRequest, "Invalid body", ex.Message));
        }
    }

    public static IActionResult Json<T>(int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        new ContentResult { StatusCode = status, ContentType = "application/json; charset=utf-8", Content = JsonSerializer.Serialize(value, typeInfo) };

    public static IActionResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new Problem
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = title,
            Status = status,
            Detail = ProcessingResult.CleanDetail(detail),
            Extensions = extensions ?? new Dictionary<string, object?>(),
        };
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "application/problem+json; charset=utf-8",
            Content = JsonSerializer.Serialize(problem, OperatorJson.Default.Problem),
        };
    }

    /// <summary>Adds an error when a dead-letter reason filter is not 1-128 printable characters.</summary>
    public static void CheckReason(string? reason, List<string> errors)
    {
        if (reason is not null && (reason.Length is 0 or > 128 || reason.Any(char.IsControl)))
        {
            errors.Add("reason: must be 1-128 printable characters");
        }
    }

    /// <summary>Adds an error when <paramref name="id"/> is given but is not a Clerk ID with <paramref name="prefix"/>.</summary>
    public static void CheckId(string? id, string prefix, string field, List<string> errors)
    {
        if (id is not null && !RoleChangeParser.IsPrefixedId(id, prefix))
        {
            errors.Add($"{field}: must be \"{prefix}\" followed by 1-64 ASCII letters or digits");
        }
    }

    /// <summary>400 problem listing <paramref name="errors"/>, or null when there are none.</summary>
    public static IActionResult? Invalid(string title, List<string> errors) => errors.Count == 0
        ? null
        : Problem(StatusCodes.Status400BadRequest, title, string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string Wire(Outcome outcome) => outcome switch
    {
        Outcome.WouldApply => "would-apply",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>RFC 9457 problem details, with RoleSync's extension members flattened in.</summary>
internal sealed class Problem
{
    public required string Type { get; set; }
    public required string Title { get; set; }
    public required int Status { get; set; }
    public required string Detail { get; set; }

    [JsonExtensionData]
    public IDictionary<string, object?> Extensions { get; set; } = new Dictionary<string, object?>();
}

internal sealed record OutcomeResponse(string Outcome, string? EventId, string? OrganizationId, string? UserId, string? Role, string? Reason, string? Detail, string? ClerkTraceId);

internal sealed record ReplayRequest(IReadOnlyList<long>? SequenceNumbers, string? Reason, string? OrganizationId, int? Max, bool? DryRun);

internal sealed record DeadLetterListResponse(IReadOnlyList<DeadLetterView> Items, long? NextSequenceNumber);

/// <summary>The ledger's audit view of one membership.</summary>
internal sealed record MembershipView(string OrganizationId, string UserId, NewestView Newest, AppliedView? LastApplied, RejectionView? LastRejection, bool ClerkStateUnknown)
{
    public static MembershipView From(MembershipRecord r) => new(
        r.OrganizationId,
        r.UserId,
        new NewestView(r.NewestEventId, r.NewestOccurredAt, r.NewestRole, r.NewestSource, r.NewestRecordedAt, r.NewestApplied, r.NewestRejected),
        r.AppliedEventId is null && r.AppliedRole is null ? null : new AppliedView(r.AppliedEventId, r.AppliedRole, r.AppliedAt),
        r.RejectedEventId is null ? null : new RejectionView(r.RejectedEventId, r.RejectedReason, r.RejectedDetail, r.RejectedAt),
        r.ClerkStateUnknown);
}

internal sealed record NewestView(string EventId, DateTimeOffset OccurredAt, string Role, string? Source, DateTimeOffset RecordedAt, bool Applied, bool Rejected);

internal sealed record AppliedView(string? EventId, string? Role, DateTimeOffset? At);

internal sealed record RejectionView(string EventId, string? Reason, string? Detail, DateTimeOffset? At);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(OutcomeResponse))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplayReport))]
[JsonSerializable(typeof(DeadLetterListResponse))]
[JsonSerializable(typeof(MembershipView))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class OperatorJson : JsonSerializerContext;
