using System.Text.Json.Serialization;

namespace RoleSync.Replay;

/// <summary>
/// What became of an edit-and-retry (<see cref="DeadLetterEditor"/>). In JSON: <c>retried</c>, <c>invalid</c>,
/// <c>not-found</c>, <c>conflict</c>, <c>retry-later</c>, <c>failed</c>, <c>unavailable</c>.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<EditStatus>))]
public enum EditStatus
{
    /// <summary>The edited copy was sent and the dead letter completed.</summary>
    Retried,
    /// <summary>The corrected body breaks the contract, or changes the eventId; nothing was sent.</summary>
    Invalid,
    /// <summary>No dead letter has the sequence number, and none was edited under it.</summary>
    NotFound,
    /// <summary>The dead letter was edited already (or an edit with another body is recorded for it); nothing was sent.</summary>
    Conflict,
    /// <summary>The dead letter could not be locked, or its lock was lost; it stays. Send the same edit again.</summary>
    RetryLater,
    /// <summary>The edited copy could not be sent; the dead letter stays. Send the same edit again.</summary>
    Failed,
    /// <summary>No key to sign the copy's properties (the Clerk secret key is unavailable); nothing was sent or recorded.</summary>
    Unavailable,
}
