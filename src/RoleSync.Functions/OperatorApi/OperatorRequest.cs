using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Reading an operator call's request: the body (at most <see cref="MaxBodyBytes"/>, also when chunked), strict JSON
/// (unknown or duplicate fields are errors, named in the problem), and the authenticated caller's identity.
/// </summary>
internal static class OperatorRequest
{
    /// <summary>Bodies above this are refused with 413 before parsing.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// The authenticated caller, <c>"{name} ({oid})"</c>, as audit records, message properties and logs name it: the
    /// principal <see cref="OperatorAuthMiddleware"/> verified and put in <c>HttpContext.Items</c>; never a header the
    /// caller could set. <c>"unauthenticated"</c> when no principal was verified (only outside the middleware).
    /// </summary>
    public static string Caller(HttpRequest request) =>
        request?.HttpContext.Items.TryGetValue(OperatorPrincipal.ItemKey, out var item) == true && item is OperatorPrincipal principal
            ? principal.DisplayName
            : "unauthenticated";

    /// <summary>The body, or null with a 413/400 problem in <c>Problem</c>.</summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }
        // One byte more than the limit is enough to know a body (chunked: no Content-Length) is too large.
        var reader = request.BodyReader;
        var read = await reader.ReadAtLeastAsync(MaxBodyBytes + 1, cancellationToken).ConfigureAwait(false);
        try
        {
            return read.Buffer.Length switch
            {
                > MaxBodyBytes => (null, TooLarge()),
                0 => (null, OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Empty body", "The request needs a JSON body.")),
                _ => (read.Buffer.ToArray(), null),
            };
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>The body as <typeparamref name="T"/> (strict: see <see cref="OperatorJson"/>), or null with a 413/400 problem.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (default, problem);
        }
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) is { } value
                ? (value, null)
                : (default, OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (default, OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Invalid body", ex.Message));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        OperatorProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Request bodies are limited to {MaxBodyBytes} bytes (1 MiB).");
}
