using static RoleSync.Contract.ErrorText;

namespace RoleSync.Contract;

/// <summary>
/// Contract 1.1's rules for who a change is about and what it asks for: exactly one of <c>userId</c>, <c>externalId</c>
/// or <c>emailAddress</c>; <c>action</c> <c>set-role</c> (the default) or <c>remove</c>; <c>role</c> required for
/// <c>set-role</c> and absent for <c>remove</c>. The shapes of <c>userId</c> and <c>role</c> are
/// <see cref="RoleChangeRules"/>' (they are the 1.0 rules).
/// </summary>
internal static class SubjectRules
{
    /// <summary>What was read: the one identifier given, the action (null when invalid) and the role (null when absent or invalid).</summary>
    public readonly record struct Subject(string? UserId, string? ExternalId, string? EmailAddress, RoleChangeAction? Action, string? Role);

    private const string ActionSetRole = "set-role";
    private const string ActionRemove = "remove";

    public static Subject Read(in RawField userId, in RawField externalId, in RawField emailAddress, in RawField action, in RawField role, string prefix, List<string> errors)
    {
        string? user = null, external = null, email = null;
        int given = (userId.Present ? 1 : 0) + (externalId.Present ? 1 : 0) + (emailAddress.Present ? 1 : 0);
        if (given == 0)
        {
            errors.Add($"{prefix}userId: is required (or {prefix}externalId or {prefix}emailAddress)");
        }
        else if (given > 1)
        {
            var names = string.Join(", ", new[] { ("userId", userId.Present), ("externalId", externalId.Present), ("emailAddress", emailAddress.Present) }
                .Where(n => n.Item2).Select(n => prefix + n.Item1));
            foreach (var (name, present) in new[] { ("userId", userId.Present), ("externalId", externalId.Present), ("emailAddress", emailAddress.Present) })
            {
                if (present)
                {
                    errors.Add($"{prefix}{name}: only one of userId, externalId or emailAddress may be given, and this message has {names}");
                }
            }
        }
        else if (userId.Present)
        {
            user = RoleChangeRules.Require(userId, prefix + "userId", errors);
        }
        else if (externalId.Present)
        {
            external = RoleChangeRules.Require(externalId, prefix + "externalId", errors);
            if (external is not null && !ClerkIds.IsExternalId(external))
            {
                errors.Add($"{prefix}externalId: must be 1-{RoleChangeParser.MaxExternalIdLength} characters without control characters, not {external.Length} characters \"{Sanitize(external)}\"");
                external = null;
            }
        }
        else
        {
            email = RoleChangeRules.Require(emailAddress, prefix + "emailAddress", errors);
            if (email is not null && !ClerkIds.IsEmailAddress(email))
            {
                errors.Add($"{prefix}emailAddress: must be an address (local part, one \"@\", domain; no spaces or control characters; at most {RoleChangeParser.MaxEmailAddressLength} characters), not \"{Sanitize(email)}\"");
                email = null;
            }
        }

        RoleChangeAction? kind = RoleChangeRules.Optional(action, prefix + "action", errors) switch
        {
            null => action.TypeError is null ? RoleChangeAction.SetRole : null,
            ActionSetRole => RoleChangeAction.SetRole,
            ActionRemove => RoleChangeAction.Remove,
            var other => Invalid(other, prefix, errors),
        };

        string? roleValue = null;
        if (kind == RoleChangeAction.Remove)
        {
            if (role.Present)
            {
                errors.Add($"{prefix}role: must be absent when action is \"remove\"");
            }
        }
        else
        {
            roleValue = RoleChangeRules.Require(role, prefix + "role", errors);
        }
        return new Subject(user, external, email, kind, roleValue);
    }

    private static RoleChangeAction? Invalid(string value, string prefix, List<string> errors)
    {
        errors.Add($"{prefix}action: must be \"{ActionSetRole}\" or \"{ActionRemove}\", not \"{Sanitize(value)}\"");
        return null;
    }
}
