namespace RoleSync.ClerkSandbox;

/// <summary>
/// The body of an error that does not come from Clerk (<see cref="ClerkSandbox.FailNextLikeAProxy"/>): what a proxy, a
/// gateway or a wrong host answers. None of them carries Clerk's <c>errors[]</c>, a <c>clerk_trace_id</c> or a
/// <c>cf-ray</c> header.
/// </summary>
public enum ProxyPage
{
    /// <summary><c>text/html</c>: a web server's error page.</summary>
    Html,

    /// <summary><c>text/plain</c>: one line, e.g. <c>404 page not found</c>.</summary>
    PlainText,

    /// <summary><c>application/json</c> that is not Clerk's shape: <c>{"message":"Not Found"}</c>, as API gateways answer.</summary>
    Json,
}
