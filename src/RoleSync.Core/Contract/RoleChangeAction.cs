using System.Text.Json.Serialization;

namespace RoleSync.Contract;

/// <summary>What a role change asks for (contract 1.1 <c>action</c>; absent means <see cref="SetRole"/>).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RoleChangeAction>))]
public enum RoleChangeAction
{
    /// <summary><c>set-role</c>: the user should hold <see cref="RoleChange.Role"/> (the 1.0 meaning of every message).</summary>
    SetRole,

    /// <summary><c>remove</c>: the user should not be a member of the organization.</summary>
    Remove,
}
