namespace RoleSync.Functions.OperatorApi;

/// <summary>The app role an operator HTTP function requires (<see cref="OperatorRoles"/>); enforced for every HTTP function.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresRoleAttribute(string role) : Attribute
{
    /// <summary>The required role.</summary>
    public string Role { get; } = role;
}
