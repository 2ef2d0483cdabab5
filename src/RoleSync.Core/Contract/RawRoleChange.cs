namespace RoleSync.Contract;

/// <summary>
/// A message body as <see cref="RoleChangeReader"/> read it, before any rule is applied: the known properties of both
/// forms (plain and CloudEvents) as found, and the errors the reader itself found. <see cref="RoleChangeRules"/> judges it.
/// </summary>
internal struct RawRoleChange
{
    // Plain form (source is also the CloudEvents attribute).
    public RawField EventId, OccurredAt, OrganizationId, UserId, Role, Source, Reason;

    // Plain form, contract 1.1.
    public RawField ExternalId, EmailAddress, Action;

    // CloudEvents attributes.
    public RawField SpecVersion, Type, Id, Time, DataContentType;

    // CloudEvents data.
    public RawField DataOrganizationId, DataUserId, DataRole, DataReason;

    // CloudEvents data, contract 1.1.
    public RawField DataExternalId, DataEmailAddress, DataAction;

    /// <summary>A <c>data</c> property was present (of any type).</summary>
    public bool HasData;

    /// <summary>Set when <c>data</c> was not an object: "data: must be a JSON object, not an array".</summary>
    public string? DataError;

    /// <summary>
    /// Set when the body could not be read at all (too large, not UTF-8, not one JSON object, not valid JSON); then
    /// what was read before it is dropped and this is the only error reported.
    /// </summary>
    public string? BodyError;

    /// <summary>Errors found while reading that do not stop it (duplicate property names); null when none.</summary>
    public List<string>? Errors;

    /// <summary>The message is in CloudEvents form: it has <c>specversion</c>.</summary>
    public readonly bool IsCloudEvent => SpecVersion.Present;

    public void AddError(string error) => (Errors ??= []).Add(error);
}
