namespace RoleSync.Messaging;

/// <summary>
/// What a <see cref="MessageSignature"/> vouches for. A signature of one scope never verifies as another, so properties
/// RoleSync wrote on a dead letter cannot pass for a retry copy's when a tool resubmits that dead letter to the queue.
/// </summary>
public enum MessageSignatureScope
{
    /// <summary>A copy RoleSync sent to the queue: a scheduled retry or a dead-letter replay. Accepted on the queue.</summary>
    Copy,

    /// <summary>The properties RoleSync set when it dead-lettered a message. Accepted only when reading dead letters.</summary>
    DeadLetter,
}
