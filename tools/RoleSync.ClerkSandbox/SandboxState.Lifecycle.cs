namespace RoleSync.ClerkSandbox;

internal enum CreateOutcome
{
    Created,
    OrganizationNotFound,
    UserNotFound,
    RoleNotFound,
    AlreadyAMember,
    QuotaExceeded,
}

internal enum DeleteOutcome
{
    Deleted,
    OrganizationNotFound,
    MembershipNotFound,
    ManagedByDirectory,
    LastAdmin,
}

/// <summary>Creating and deleting memberships (joiners and leavers), with Clerk's rules.</summary>
internal sealed partial class SandboxState
{
    /// <summary>Sets the organization's member limit (null: none); creates the organization with the default roles if needed.</summary>
    public void SetMaxMembers(string organizationId, int? maxMembers)
    {
        var organization = GetOrCreate(organizationId, DefaultRoles);
        lock (organization.Gate)
        {
            organization.MaxMembers = maxMembers;
        }
    }

    /// <summary>POST /v1/organizations/{organization_id}/memberships: the user must exist and not be a member; the role must be the organization's.</summary>
    public CreateOutcome CreateMembership(string organizationId, string userId, string role, out MembershipResponse? result)
    {
        result = null;
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            return CreateOutcome.OrganizationNotFound;
        }

        if (!Users.Exists(userId))
        {
            return CreateOutcome.UserNotFound;
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (organization.Gate)
        {
            if (organization.Members.ContainsKey(userId))
            {
                return CreateOutcome.AlreadyAMember;
            }

            if (!organization.Roles.Contains(role))
            {
                return CreateOutcome.RoleNotFound;
            }

            if (organization.MaxMembers is { } max && organization.Members.Count >= max)
            {
                return CreateOutcome.QuotaExceeded;
            }

            var membership = new Membership(NewId("orgmem_"), userId, Interlocked.Increment(ref _membershipSequence), now)
            {
                Role = role,
                ManagedByDirectory = false,
                UpdatedAt = now,
            };
            organization.Members[userId] = membership;
            result = ToResponse(organization, membership);
            return CreateOutcome.Created;
        }
    }

    /// <summary>DELETE /v1/organizations/{organization_id}/memberships/{user_id}: the last admin and SCIM-managed memberships stay.</summary>
    public DeleteOutcome DeleteMembership(string organizationId, string userId, out MembershipResponse? result)
    {
        result = null;
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            return DeleteOutcome.OrganizationNotFound;
        }

        lock (organization.Gate)
        {
            if (!organization.Members.TryGetValue(userId, out var membership))
            {
                return DeleteOutcome.MembershipNotFound;
            }

            if (membership.ManagedByDirectory)
            {
                return DeleteOutcome.ManagedByDirectory;
            }

            if (membership.Role == AdminRole && !HasOtherAdmin(organization, membership))
            {
                return DeleteOutcome.LastAdmin;
            }

            organization.Members.Remove(userId);
            result = ToResponse(organization, membership);
            return DeleteOutcome.Deleted;
        }
    }
}
