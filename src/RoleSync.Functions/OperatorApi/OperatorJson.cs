using System.Text.Json.Serialization;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The operator API's JSON. Bodies are read with <see cref="JsonSerializerContext.Options"/> of <c>Default</c>:
/// unknown and duplicate fields are errors. Answers are written with the HTTP JSON options, which resolve these
/// types here first (<see cref="ReplayRegistration.AddOperatorApiResults"/>); the extension members of problems are
/// strings, string lists and numbers.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(OutcomeResponse))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplayReport))]
[JsonSerializable(typeof(DeadLetterListResponse))]
[JsonSerializable(typeof(MembershipView))]
[JsonSerializable(typeof(AuditListResponse))]
[JsonSerializable(typeof(DeadLetterGroupReport))]
[JsonSerializable(typeof(EditAndRetryResponse))]
[JsonSerializable(typeof(SubmissionResponse))]
[JsonSerializable(typeof(MembershipHistoryResponse))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(HoldListResponse))]
[JsonSerializable(typeof(HoldDecisionView))]
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(OverviewView))]
[JsonSerializable(typeof(VerificationView))]
[JsonSerializable(typeof(LookupView))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class OperatorJson : JsonSerializerContext;
