namespace RoleSync.Processing;

/// <summary>
/// Through which door a role change entered RoleSync. On a message it is <see cref="Messaging.MessageProperties.EntryPoint"/>
/// (kebab-case: <c>queue</c>, <c>operator</c>, <c>edit-and-retry</c>, <c>cli</c>, <c>reconcile</c>), trusted only when
/// RoleSync's signature verifies (<see cref="Messaging.MessageLineage"/>); an unsigned or forged one means <see cref="Queue"/>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<EntryPoint>))]
public enum EntryPoint
{
    /// <summary>A producer's message on the role-changes queue.</summary>
    Queue,
    /// <summary>Submitted by an operator through <c>POST /api/role-changes</c>.</summary>
    Operator,
    /// <summary>A dead letter corrected and sent again by an operator (<c>POST /api/dead-letters/{sequenceNumber}/edit-and-retry</c>).</summary>
    EditAndRetry,
    /// <summary>Applied by <c>rolesync apply</c>.</summary>
    Cli,
    /// <summary>A repair by the reconciler (the <c>Reconcile</c> timer or <c>rolesync reconcile --repair</c>).</summary>
    Reconcile,
}
