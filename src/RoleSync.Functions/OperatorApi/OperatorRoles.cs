namespace RoleSync.Functions.OperatorApi;

/// <summary>The Entra ID app roles of the operator API.</summary>
public static class OperatorRoles
{
    /// <summary>May call the GET endpoints.</summary>
    public const string Reader = "RoleSync.Reader";

    /// <summary>May call every endpoint, including those that change state.</summary>
    public const string Operator = "RoleSync.Operator";
}
