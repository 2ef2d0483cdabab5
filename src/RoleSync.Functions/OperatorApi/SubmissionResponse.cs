using System.Text.Json;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The 202 answer of <c>POST /api/role-changes</c>: the change's event id, the change as queued (the message body: the
/// plain contract form, normalised, generated fields included), and <c>status</c> <c>queued</c>.
/// </summary>
public sealed record SubmissionResponse(string EventId, JsonElement Change, string Status);
