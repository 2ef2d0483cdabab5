namespace RoleSync.Cli;

/// <summary>The exit codes of every rolesync command.</summary>
public static class ExitCodes
{
    /// <summary>Every message is valid (validate) or ended applied, stale, duplicate, would-apply or unchanged (apply); every membership is in sync or repaired (reconcile).</summary>
    public const int Success = 0;

    /// <summary>Usage, configuration or input-file error; nothing, or not everything, was processed.</summary>
    public const int UsageOrConfiguration = 1;

    /// <summary>At least one message is invalid (validate), or ended rejected or failed (apply).</summary>
    public const int SomeMessagesNotApplied = 2;

    /// <summary>Some membership is left off its desired role (reconcile: drift, not-a-member, managed-by-directory or failed).</summary>
    public const int DriftRemains = 2;

    /// <summary>Canceled (Ctrl+C).</summary>
    public const int Canceled = 130;
}
