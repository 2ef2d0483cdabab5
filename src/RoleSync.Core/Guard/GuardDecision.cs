namespace RoleSync.Guard;

/// <summary>What an operator decided for an organization's held changes; <see cref="Held"/> until then; kebab-case in JSON.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<GuardDecision>))]
public enum GuardDecision
{
    /// <summary>Waiting for an operator.</summary>
    Held,
    /// <summary>Released into normal processing (not counted again).</summary>
    Approved,
    /// <summary>Dead-lettered <c>RejectedByOperator</c> on its next delivery.</summary>
    Rejected,
}
