namespace RoleSync.Contract;

/// <summary>The result of parsing one message body: a valid <see cref="RoleChange"/>, or every violation found.</summary>
public sealed class RoleChangeParseResult
{
    private RoleChangeParseResult(RoleChange? change, IReadOnlyList<string> errors, string? eventId)
    {
        Change = change;
        Errors = errors;
        EventId = eventId;
    }

    /// <summary>The change when the message is valid, otherwise null.</summary>
    public RoleChange? Change { get; }

    /// <summary>Every violation, each naming the field it concerns ("role: …"). Empty when valid.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The event id when one could be read, even from an invalid message (for logs and reports).</summary>
    public string? EventId { get; }

    public bool IsValid => Change is not null;

    internal static RoleChangeParseResult Valid(RoleChange change) => new(change, [], change.EventId);

    internal static RoleChangeParseResult Invalid(IReadOnlyList<string> errors, string? eventId) => new(null, errors, eventId);
}
