using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Writes every problem a <see cref="Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult"/> hands to
/// <see cref="IProblemDetailsService"/> as <c>application/problem+json; charset=utf-8</c> with the HTTP JSON options
/// (<see cref="ReplayRegistration.AddOperatorApiResults"/>), and adds nothing: ASP.NET Core's default writer would drop
/// the charset and add a <c>traceId</c> member, which the operator API's answers never had.
/// </summary>
internal sealed class OperatorProblemDetailsWriter(IOptions<HttpJsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var typeInfo = (JsonTypeInfo<ProblemDetails>)jsonOptions.Value.SerializerOptions.GetTypeInfo(typeof(ProblemDetails));
        var http = context.HttpContext;
        return new ValueTask(http.Response.WriteAsJsonAsync(context.ProblemDetails, typeInfo, ContentType, http.RequestAborted));
    }
}
