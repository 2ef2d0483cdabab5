namespace RoleSync.Contract;

/// <summary>How contract errors quote what the sender wrote.</summary>
internal static class ErrorText
{
    /// <summary>Quotes user input in an error safely: single line, printable, at most 80 characters.</summary>
    public static string Sanitize(string? value)
    {
        if (value is null)
        {
            return "";
        }
        var text = value.Length > 80 ? value[..80] + "…" : value;
        return string.Create(text.Length, text, static (span, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? '?' : t[i];
            }
        });
    }
}
