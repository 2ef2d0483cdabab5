using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Audit;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Audits one state-changing operator call around its function: the record is written as <c>started</c> (with the
/// principal, time, function, method, path and the body as the selection) <b>before</b> the function runs — if that
/// write fails the call is refused with 503 and nothing happens — and rewritten with the answer's status code and
/// value afterwards. If that second write fails the action has already happened: the answer goes out as it is, the
/// <c>started</c> record stays as evidence, and an error is logged with the record id. The answer carries the id in
/// <c>X-RoleSync-Audit-Id</c>.
/// </summary>
internal sealed partial class OperatorAuditor(
    IOperatorAuditLog log, TimeProvider timeProvider, IOptions<HttpJsonOptions> jsonOptions, ILogger<OperatorAuditor> logger)
{
    public const string AuditIdHeader = "X-RoleSync-Audit-Id";

    public async Task<object?> RunAsync(HttpContext http, string functionName, OperatorPrincipal principal, Func<Task<object?>> function, CancellationToken cancellationToken)
    {
        var started = await NewRecordAsync(http, functionName, principal, OperatorAuditStatus.Started, cancellationToken).ConfigureAwait(false);
        try
        {
            await log.WriteAsync(started, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStartFailed(logger, ex, started.Id, principal.DisplayName, functionName);
            return OperatorProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Audit unavailable",
                $"The call was not carried out: its audit record could not be written ({ex.Message}). Try again later.");
        }
        http.Response.Headers[AuditIdHeader] = started.Id;

        object? answer;
        try
        {
            answer = await function().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await CompleteAsync(started with { Status = OperatorAuditStatus.Failed, CompletedAt = timeProvider.GetUtcNow(), Result = $"{ex.GetType().Name}: {ex.Message}" }).ConfigureAwait(false);
            throw;
        }
        var (statusCode, value) = Describe(answer);
        var (result, resultTruncated) = Serialize(value);
        await CompleteAsync(started with
        {
            Status = OperatorAuditStatus.Completed,
            CompletedAt = timeProvider.GetUtcNow(),
            StatusCode = statusCode,
            Result = result,
            ResultTruncated = resultTruncated,
        }).ConfigureAwait(false);
        return answer;
    }

    /// <summary>
    /// Records a refused state-changing call of an authenticated principal (it never ran): one record, status
    /// <see cref="OperatorAuditStatus.Refused"/>, with the selection and the refusal. A failed write is logged, not
    /// answered: the call is refused either way.
    /// </summary>
    public async Task RecordRefusedAsync(HttpContext http, string functionName, OperatorPrincipal principal, ProblemHttpResult refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(refusal);
        var refused = await NewRecordAsync(http, functionName, principal, OperatorAuditStatus.Refused, cancellationToken).ConfigureAwait(false);
        var record = refused with
        {
            CompletedAt = refused.StartedAt,
            StatusCode = refusal.StatusCode,
            Result = $"{refusal.ProblemDetails.Title}: {refusal.ProblemDetails.Detail}",
        };
        try
        {
            await log.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            http.Response.Headers[AuditIdHeader] = record.Id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRefusalNotRecorded(logger, ex, record.Id, principal.DisplayName, functionName);
        }
    }

    /// <summary>A record of this call (who, when, what, the body as the selection) in <paramref name="status"/>.</summary>
    private async Task<OperatorAuditRecord> NewRecordAsync(HttpContext http, string functionName, OperatorPrincipal principal, string status, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var (selection, selectionTruncated) = await ReadSelectionAsync(request, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        return new OperatorAuditRecord(OperatorAuditRecord.NewId(now), now, principal.ObjectId, principal.Name, functionName,
            request.Method, request.Path + request.QueryString, selection, selectionTruncated, status);
    }

    /// <summary>The first <see cref="OperatorAuditRecord.MaxTextBytes"/> of the body; the request is buffered and rewound so the function reads it all.</summary>
    private static async Task<(string? Text, bool Truncated)> ReadSelectionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        var buffer = new byte[OperatorAuditRecord.MaxTextBytes + 1];
        var read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        request.Body.Position = 0;
        return read == 0 ? (null, false) : Text(buffer.AsSpan(0, read));
    }

    private static (int? StatusCode, object? Value) Describe(object? answer)
    {
        while (answer is INestedHttpResult nested)
        {
            answer = nested.Result;
        }
        return ((answer as IStatusCodeHttpResult)?.StatusCode, (answer as IValueHttpResult)?.Value);
    }

    private (string? Json, bool Truncated) Serialize(object? value)
    {
        if (value is null)
        {
            return (null, false);
        }
        try
        {
            return Text(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), jsonOptions.Value.SerializerOptions));
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return ($"(a {value.GetType().Name} that cannot be written as JSON: {ex.Message})", false);
        }
    }

    private static (string Text, bool Truncated) Text(ReadOnlySpan<byte> bytes) => bytes.Length > OperatorAuditRecord.MaxTextBytes
        ? (Encoding.UTF8.GetString(bytes[..OperatorAuditRecord.MaxTextBytes]), true)
        : (Encoding.UTF8.GetString(bytes), false);

    private async Task CompleteAsync(OperatorAuditRecord record)
    {
        try
        {
            // Not the request's token: the action has happened; its record should be written even if the caller left.
            await log.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogCompleteFailed(logger, ex, record.Id, record.PrincipalName, record.PrincipalObjectId, record.FunctionName, record.StatusCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator call refused: its audit record {AuditId} could not be written ({Caller}, {FunctionName})")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string auditId, string caller, string functionName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator call refused, and its audit record {AuditId} could not be written ({Caller}, {FunctionName})")]
    private static partial void LogRefusalNotRecorded(ILogger logger, Exception exception, string auditId, string caller, string functionName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator call ran but its audit result could not be written: record {AuditId} stays 'started' ({PrincipalName}, {PrincipalObjectId}, {FunctionName}, status {StatusCode})")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception, string auditId, string principalName, string principalObjectId, string functionName, int? statusCode);
}
