using System.Globalization;

namespace RoleSync.Audit;

/// <summary>
/// One state-changing operator call: who (<see cref="PrincipalObjectId"/>, <see cref="PrincipalName"/>), when, what
/// (function, method, path and query), the selection (the request body, capped) and the result (status and answer,
/// capped). Written with <see cref="OperatorAuditStatus.Started"/> before the call runs and rewritten with its result after.
/// </summary>
/// <param name="Id">Time-ordered and unique: <c>{StartedAt UTC ticks, 19 digits}-{32 hex}</c> (<see cref="NewId"/>).</param>
/// <param name="StartedAt">When the call was received.</param>
/// <param name="PrincipalObjectId">The caller's Entra object id.</param>
/// <param name="PrincipalName">The caller's display name.</param>
/// <param name="FunctionName">The function that served the call, e.g. <c>ReplayDeadLetters</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Path and query string.</param>
/// <param name="Selection">The request body (UTF-8, at most <see cref="MaxTextBytes"/> bytes), or null when empty.</param>
/// <param name="SelectionTruncated">Whether the body was longer than what <see cref="Selection"/> holds.</param>
/// <param name="Status">started, completed or failed (<see cref="OperatorAuditStatus"/>).</param>
/// <param name="CompletedAt">When the call ended; null while started.</param>
/// <param name="StatusCode">The answer's HTTP status code, when known.</param>
/// <param name="Result">The answer's value as JSON (at most <see cref="MaxTextBytes"/> bytes), or the failure.</param>
/// <param name="ResultTruncated">Whether the answer was longer than what <see cref="Result"/> holds.</param>
public sealed record OperatorAuditRecord(
    string Id,
    DateTimeOffset StartedAt,
    string PrincipalObjectId,
    string PrincipalName,
    string FunctionName,
    string Method,
    string Path,
    string? Selection,
    bool SelectionTruncated,
    string Status,
    DateTimeOffset? CompletedAt = null,
    int? StatusCode = null,
    string? Result = null,
    bool ResultTruncated = false)
{
    /// <summary>The cap on <see cref="Selection"/> and <see cref="Result"/> (16 KiB of UTF-8: well inside a Table property).</summary>
    public const int MaxTextBytes = 16 * 1024;

    private const int TicksDigits = 19;

    /// <summary>A new id for a call received at <paramref name="at"/>: ordered by time, unique by a random suffix.</summary>
    public static string NewId(DateTimeOffset at) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");

    /// <summary>The id prefix that sorts at <paramref name="at"/> (ids of calls at or after it sort at or after it).</summary>
    public static string IdPrefix(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="id"/> has the form <see cref="NewId"/> makes (continuation tokens are ids).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: TicksDigits + 33 } && id[TicksDigits] == '-'
        && id.AsSpan(0, TicksDigits).ContainsAnyExceptInRange('0', '9') is false
        && id.AsSpan(TicksDigits + 1).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>The UTC day of the call, <c>yyyyMMdd</c> (the Table partition).</summary>
    public static string Day(string id) =>
        new DateTime(long.Parse(id.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture), DateTimeKind.Utc)
            .ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
