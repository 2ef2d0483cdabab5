namespace RoleSync.Contract;

/// <summary>
/// Parses and validates a role-change message body (UTF-8 JSON, plain or CloudEvents 1.0 structured form).
/// Never throws on bad input: every problem becomes a named violation. The rules are the message contract
/// (docs/message-contract.md, schemas/role-change.schema.json): <see cref="RoleChangeReader"/> reads either form into
/// one raw form, <see cref="RoleChangeRules"/> judges it, with <see cref="Rfc3339"/> and <see cref="ClerkIds"/>.
/// </summary>
public static class RoleChangeParser
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxEventIdLength = 128;
    public const int MaxSourceLength = 100;
    public const int MaxReasonLength = 500;
    public const string CloudEventType = "rolesync.role-change";

    /// <summary>The contract version this parser implements (schemas/role-change.schema.json's <c>$id</c> carries it).</summary>
    public const string ContractVersion = "1.1";

    /// <summary>The longest <c>externalId</c> (Clerk's <c>external_id</c>).</summary>
    public const int MaxExternalIdLength = 255;

    /// <summary>The longest <c>emailAddress</c> (RFC 5321's path limit).</summary>
    public const int MaxEmailAddressLength = 254;

    /// <summary>The longest HR role name (accepted only when a role mapping is configured).</summary>
    public const int MaxRoleNameLength = 100;

    /// <summary>How far in the future <c>occurredAt</c> may be (clock skew between producer and RoleSync).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Parses with the contract's own role rule: <c>role</c> must be an <c>org:</c> key.</summary>
    public static RoleChangeParseResult Parse(ReadOnlySpan<byte> body, DateTimeOffset now) => Parse(body, now, acceptRoleNames: false);

    /// <summary>
    /// Parses; with <paramref name="acceptRoleNames"/> (a role mapping is configured, <c>Roles:Map</c>) <c>role</c> may
    /// also be an HR role name, which the processor maps (or rejects <c>RoleNotMapped</c>).
    /// </summary>
    public static RoleChangeParseResult Parse(ReadOnlySpan<byte> body, DateTimeOffset now, bool acceptRoleNames) => Parse(body, now, acceptRoleNames, null);

    /// <summary>
    /// An operator's submission (<c>POST /api/role-changes</c>): the queue contract, except that <c>eventId</c> (CloudEvents
    /// <c>id</c>) may be omitted, then <paramref name="eventIdIfOmitted"/>, and <c>occurredAt</c> (<c>time</c>) may be
    /// omitted, then <paramref name="now"/>. Present but null or invalid, they are errors as on the queue. Producers'
    /// messages keep the full contract (<see cref="Parse(ReadOnlySpan{byte}, DateTimeOffset)"/>): the submission is sent on as a complete message.
    /// </summary>
    public static RoleChangeParseResult ParseSubmission(ReadOnlySpan<byte> body, DateTimeOffset now, string eventIdIfOmitted, bool acceptRoleNames = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventIdIfOmitted);
        return Parse(body, now, acceptRoleNames, eventIdIfOmitted);
    }

    private static RoleChangeParseResult Parse(ReadOnlySpan<byte> body, DateTimeOffset now, bool acceptRoleNames, string? eventIdIfOmitted)
    {
        var raw = new RawRoleChange();
        RoleChangeReader.Read(body, ref raw);
        return raw.BodyError is { } bodyError
            ? RoleChangeParseResult.Invalid([bodyError], null)
            : RoleChangeRules.Validate(ref raw, now, acceptRoleNames, eventIdIfOmitted);
    }
}
