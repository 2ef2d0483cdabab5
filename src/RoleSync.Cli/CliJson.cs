using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoleSync.Processing;

namespace RoleSync.Cli;

/// <summary>One line of <c>rolesync validate</c> output.</summary>
internal sealed record ValidateLine(int Index, string? EventId, bool Valid, IReadOnlyList<string> Errors);

/// <summary>
/// One line of <c>rolesync apply</c> output; <see cref="Reason"/> and <see cref="Detail"/> are written as null when not
/// applicable. <see cref="Outcome"/> is written by its wire name (<see cref="Processing.Outcome"/>: a transient outcome
/// reaches the output only once retries are spent, as "failed").
/// </summary>
internal sealed record ApplyLine(
    int Index,
    string? EventId,
    string? OrganizationId,
    string? UserId,
    string? Role,
    Outcome Outcome,
    string? Reason,
    string? Detail)
{
    public static ApplyLine From(InputLine line, ProcessingResult result) => new(
        line.Index,
        result.EventId,
        result.Change?.OrganizationId,
        result.Change is { IsResolved: true } resolved ? resolved.UserId : null, // a user never resolved (UserNotFound) has no id
        result.Change is { IsRemoval: false } setRole ? setRole.Role : null,      // a removal has no role
        result.Outcome,
        result.Reason,
        result.Detail);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ValidateLine))]
[JsonSerializable(typeof(ApplyLine))]
[JsonSerializable(typeof(Reconcile.ReconcileItem))]
[JsonSerializable(typeof(History.MembershipHistoryEntry))]
[JsonSerializable(typeof(Guard.GuardHoldSummary))]
[JsonSerializable(typeof(Guard.GuardDecisionResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Output for terminals and log files, not HTML: "->" and non-ASCII stay readable (control characters are still escaped).</summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
