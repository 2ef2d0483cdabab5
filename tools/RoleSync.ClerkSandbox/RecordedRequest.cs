namespace RoleSync.ClerkSandbox;

/// <summary>
/// One request as the sandbox received it. <paramref name="QueryString"/> keeps its leading '?' (empty when none);
/// <paramref name="StatusCode"/> is the status answered, 0 when the connection was dropped.
/// </summary>
public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string QueryString,
    string? Authorization,
    string? ApiVersion,
    string? UserAgent,
    string? Accept,
    string? ContentType,
    string Body,
    int StatusCode)
{
    /// <summary>A PATCH taken by a <see cref="PatchHold"/>: never answered (<see cref="StatusCode"/> 0); applied when it landed (<see cref="ClerkSandbox.LandedPatches"/>).</summary>
    public bool Held { get; init; }
}
