using static RoleSync.Contract.ErrorText;

namespace RoleSync.Contract;

/// <summary>
/// The message contract's rules, applied once to a <see cref="RawRoleChange"/>: which fields each form requires, and what
/// each value must look like. Every violation is collected, each naming its field ("role: …").
/// </summary>
internal static class RoleChangeRules
{
    /// <param name="raw">The fields as read.</param>
    /// <param name="now">The receiver's clock (the future bound of <c>occurredAt</c>).</param>
    /// <param name="acceptRoleNames">A role mapping is configured: <c>role</c> may also be an HR role name.</param>
    /// <param name="eventIdIfOmitted">
    /// Operator submissions only (<see cref="RoleChangeParser.ParseSubmission"/>): the event id when the body has none; an
    /// omitted <c>occurredAt</c> is then <paramref name="now"/>. Null (the queue contract): both are required.
    /// </param>
    public static RoleChangeParseResult Validate(ref RawRoleChange raw, DateTimeOffset now, bool acceptRoleNames, string? eventIdIfOmitted = null)
    {
        bool defaults = eventIdIfOmitted is not null;
        string nowText = defaults ? now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) : "";
        var errors = raw.Errors ?? [];
        bool cloudEvent = raw.IsCloudEvent;
        string? eventId, occurredAt, organizationId, source, reason;
        var subject = new SubjectRules.Subject(null, null, null, null, null);
        if (cloudEvent)
        {
            CheckCloudEventAttributes(ref raw, errors);
            eventId = defaults && !raw.Id.Present ? eventIdIfOmitted : Require(raw.Id, "id", errors);
            occurredAt = defaults && !raw.Time.Present ? nowText : Require(raw.Time, "time", errors);
            source = Require(raw.Source, "source", errors);
            if (raw.DataError is not null)
            {
                errors.Add(raw.DataError);
            }
            if (!raw.HasData)
            {
                errors.Add("data: is required (an object with organizationId, userId and role)");
            }
            bool dataObject = raw.HasData && raw.DataError is null;
            organizationId = dataObject ? Require(raw.DataOrganizationId, "data.organizationId", errors) : null;
            if (dataObject)
            {
                subject = SubjectRules.Read(raw.DataUserId, raw.DataExternalId, raw.DataEmailAddress, raw.DataAction, raw.DataRole, "data.", errors);
            }
            reason = Optional(raw.DataReason, "data.reason", errors);
        }
        else
        {
            eventId = defaults && !raw.EventId.Present ? eventIdIfOmitted : Require(raw.EventId, "eventId", errors);
            occurredAt = defaults && !raw.OccurredAt.Present ? nowText : Require(raw.OccurredAt, "occurredAt", errors);
            organizationId = Require(raw.OrganizationId, "organizationId", errors);
            subject = SubjectRules.Read(raw.UserId, raw.ExternalId, raw.EmailAddress, raw.Action, raw.Role, "", errors);
            source = Optional(raw.Source, "source", errors);
            reason = Optional(raw.Reason, "reason", errors);
        }

        string prefix = cloudEvent ? "data." : "";
        if (eventId is not null)
        {
            CheckEventId(eventId, cloudEvent ? "id" : "eventId", errors);
            if (defaults && eventId.Contains('~', StringComparison.Ordinal))
            {
                // The MessageId of a submission is its eventId; '~' starts the suffixes of RoleSync's own copies
                // (~s…~r…, ~replay…, ~edit…), which duplicate detection would otherwise confuse with it.
                errors.Add($"{(cloudEvent ? "id" : "eventId")}: must not contain '~' (RoleSync names its retry, replay and edit copies with it)");
            }
        }
        DateTimeOffset at = default;
        if (occurredAt is not null)
        {
            at = CheckTimestamp(occurredAt, cloudEvent ? "time" : "occurredAt", now, errors);
        }
        if (organizationId is not null)
        {
            CheckId(organizationId, ClerkIds.OrganizationPrefix, prefix, "organizationId", errors);
        }
        if (subject.UserId is { } userId)
        {
            CheckId(userId, ClerkIds.UserPrefix, prefix, "userId", errors);
        }
        if (subject.Role is { } role)
        {
            CheckRole(role, prefix, acceptRoleNames, errors);
        }
        if (source is not null && source.Length > RoleChangeParser.MaxSourceLength)
        {
            errors.Add($"source: {source.Length} characters is longer than {RoleChangeParser.MaxSourceLength}");
        }
        if (reason is not null && reason.Length > RoleChangeParser.MaxReasonLength)
        {
            errors.Add($"{prefix}reason: {reason.Length} characters is longer than {RoleChangeParser.MaxReasonLength}");
        }

        if (errors.Count > 0)
        {
            return RoleChangeParseResult.Invalid(errors, eventId is not null && eventId.Length <= RoleChangeParser.MaxEventIdLength ? eventId : null);
        }
        return RoleChangeParseResult.Valid(new RoleChange(eventId!, at, organizationId!, subject.UserId ?? "", subject.Role ?? "", source, reason)
        {
            Action = subject.Action ?? RoleChangeAction.SetRole,
            ExternalId = subject.ExternalId,
            EmailAddress = subject.EmailAddress,
        });
    }

    /// <summary>specversion, type and datacontenttype: the attributes that only say what the event is.</summary>
    private static void CheckCloudEventAttributes(ref RawRoleChange raw, List<string> errors)
    {
        if (raw.SpecVersion.Value != "1.0")
        {
            errors.Add(raw.SpecVersion.Value is null ? "specversion: must be the string \"1.0\"" : $"specversion: must be \"1.0\", not \"{Sanitize(raw.SpecVersion.Value)}\"");
        }
        if (Require(raw.Type, "type", errors) is { } type && type != RoleChangeParser.CloudEventType)
        {
            errors.Add($"type: must be \"{RoleChangeParser.CloudEventType}\", not \"{Sanitize(type)}\"");
        }
        if (Optional(raw.DataContentType, "datacontenttype", errors) is { } contentType && !IsJsonContentType(contentType))
        {
            errors.Add($"datacontenttype: must be \"application/json\", not \"{Sanitize(contentType)}\"");
        }
    }

    internal static string? Require(in RawField field, string name, List<string> errors)
    {
        if (!field.Present)
        {
            errors.Add($"{name}: is required");
        }
        else if (field.IsNull)
        {
            errors.Add($"{name}: must be a string, not null");
        }
        else if (field.TypeError is not null)
        {
            errors.Add($"{name}: {field.TypeError}");
        }
        return field.Value;
    }

    /// <summary>An optional string: absent or null mean "not given".</summary>
    internal static string? Optional(in RawField field, string name, List<string> errors)
    {
        if (field.TypeError is not null)
        {
            errors.Add($"{name}: {field.TypeError}");
        }
        return field.Value;
    }

    private static void CheckEventId(string value, string name, List<string> errors)
    {
        if (value.Length is 0 or > RoleChangeParser.MaxEventIdLength)
        {
            errors.Add($"{name}: must be 1-{RoleChangeParser.MaxEventIdLength} characters, not {value.Length}");
        }
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                errors.Add($"{name}: must not contain control characters (found U+{(int)c:X4})");
                break;
            }
        }
    }

    private static DateTimeOffset CheckTimestamp(string value, string name, DateTimeOffset now, List<string> errors)
    {
        if (!Rfc3339.TryParse(value, out var at))
        {
            errors.Add($"{name}: must be an RFC 3339 timestamp with an explicit offset (e.g. 2026-11-28T12:00:00Z), not \"{Sanitize(value)}\"");
            return default;
        }
        if (at > now + RoleChangeParser.MaxClockSkew)
        {
            errors.Add($"{name}: {value} is more than {RoleChangeParser.MaxClockSkew.TotalMinutes:0} minutes in the future (now is {Rfc3339.FormatUtcSeconds(now)})");
        }
        return at;
    }

    /// <summary>An ID field; <paramref name="fieldPrefix"/> is "data." in a CloudEvent (joined only for an error: no allocation otherwise).</summary>
    private static void CheckId(string value, string idPrefix, string fieldPrefix, string field, List<string> errors)
    {
        if (!ClerkIds.IsValid(value, idPrefix))
        {
            errors.Add($"{fieldPrefix}{field}: must be \"{idPrefix}\" followed by 1-{ClerkIds.MaxSuffixLength} ASCII letters or digits, not \"{Sanitize(value)}\"");
        }
    }

    private static void CheckRole(string role, string fieldPrefix, bool acceptRoleNames, List<string> errors)
    {
        if (ClerkIds.IsRoleKey(role))
        {
            return;
        }
        if (acceptRoleNames)
        {
            if (role.Length is 0 or > RoleChangeParser.MaxRoleNameLength || role.Any(char.IsControl))
            {
                errors.Add($"{fieldPrefix}role: must be an \"{ClerkIds.RoleKeyPrefix}\" role key or a mapped role name of 1-{RoleChangeParser.MaxRoleNameLength} characters without control characters, not \"{Sanitize(role)}\"");
            }
            return;
        }
        var hint = !role.StartsWith(ClerkIds.RoleKeyPrefix, StringComparison.Ordinal) && ClerkIds.IsRoleKeyName(role)
            ? $" (did you mean \"{ClerkIds.RoleKeyPrefix}{role}\"?)"
            : "";
        errors.Add($"{fieldPrefix}role: must be \"{ClerkIds.RoleKeyPrefix}\" followed by 1-{ClerkIds.MaxRoleKeyLength} lowercase letters, digits or underscores, not \"{Sanitize(role)}\"{hint}");
    }

    private static bool IsJsonContentType(string value)
    {
        var mediaType = value.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }
        return mediaType.Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
