namespace RoleSync.Processing;

/// <summary>The ledger could not be read or written; the message is fine and is retried later.</summary>
public sealed class LedgerUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
