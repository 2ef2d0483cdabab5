namespace RoleSync.ModelCheck;

/// <summary>What the simulated Clerk answers: a status, a JSON body in Clerk's shapes and, for a 429, Retry-After in seconds.</summary>
internal sealed record ClerkAnswer(int StatusCode, string Body, int? RetryAfterSeconds = null)
{
    public string Describe() => StatusCode switch
    {
        200 => "200",
        _ => $"{StatusCode} {Body}",
    };
}
