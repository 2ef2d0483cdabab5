using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RoleSync.Processing;

namespace RoleSync.Cli;

/// <summary>One line of <c>rolesync validate</c> output.</summary>
internal sealed record ValidateLine(int Index, string? EventId, bool Valid, IReadOnlyList<string> Errors);

/// <summary>One line of <c>rolesync apply</c> output; <see cref="Reason"/> and <see cref="Detail"/> are written as null when not applicable.</summary>
internal sealed record ApplyLine(
    int Index,
    string? EventId,
    string? OrganizationId,
    string? UserId,
    string? Role,
    string Outcome,
    string? Reason,
    string? Detail)
{
    public static ApplyLine From(InputLine line, ProcessingResult result) => new(
        line.Index,
        result.EventId,
        result.Change?.OrganizationId,
        result.Change?.UserId,
        result.Change?.Role,
        OutcomeName(result.Outcome),
        result.Reason,
        result.Detail);

    /// <summary>The output name of an outcome; a transient outcome reaches the output only once retries are spent: "failed".</summary>
    public static string OutcomeName(Outcome outcome) => outcome switch
    {
        Processing.Outcome.Applied => "applied",
        Processing.Outcome.Stale => "stale",
        Processing.Outcome.Duplicate => "duplicate",
        Processing.Outcome.Rejected => "rejected",
        Processing.Outcome.Transient => "failed",
        Processing.Outcome.WouldApply => "would-apply",
        Processing.Outcome.Unchanged => "unchanged",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ValidateLine))]
[JsonSerializable(typeof(ApplyLine))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Output for terminals and log files, not HTML: "->" and non-ASCII stay readable (control characters are still escaped).</summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
