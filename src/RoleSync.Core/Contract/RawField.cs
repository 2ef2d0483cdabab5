namespace RoleSync.Contract;

/// <summary>One known property of a message as read: whether it was there, and its string value or why it has none.</summary>
internal struct RawField
{
    /// <summary>The property was in the message (with any value).</summary>
    public bool Present;

    /// <summary>The property was JSON null.</summary>
    public bool IsNull;

    /// <summary>The string; null when absent, JSON null or not a string.</summary>
    public string? Value;

    /// <summary>Set when the value was neither a string nor null: "must be a string, not a number".</summary>
    public string? TypeError;
}
