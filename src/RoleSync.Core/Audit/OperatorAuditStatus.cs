namespace RoleSync.Audit;

/// <summary>The states of an <see cref="OperatorAuditRecord"/>.</summary>
public static class OperatorAuditStatus
{
    /// <summary>Written before the call runs: if nothing follows, the call may or may not have had its effect.</summary>
    public const string Started = "started";

    /// <summary>The call answered (any status code: a 4xx is a completed call that changed nothing).</summary>
    public const string Completed = "completed";

    /// <summary>The call threw; <see cref="OperatorAuditRecord.Result"/> names the exception.</summary>
    public const string Failed = "failed";

    /// <summary>
    /// An authenticated principal's state-changing call that the gate refused (403: a missing role, or a cross-site
    /// request); it never ran. <see cref="OperatorAuditRecord.Result"/> is the refusal's detail.
    /// </summary>
    public const string Refused = "refused";
}
