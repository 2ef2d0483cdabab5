using Microsoft.Extensions.Primitives;

namespace RoleSync.ClerkSandbox;

/// <summary>Records one request exactly once: with the status when its response starts, or with 0 when it is dropped or held.</summary>
internal sealed class PendingRecord(RequestJournal journal, long sequence, HttpContext http, DateTimeOffset receivedAt, string body)
{
    private int _completed;

    public Task CompleteAsync()
    {
        Complete(http.Response.StatusCode);
        return Task.CompletedTask;
    }

    public void Complete(int statusCode, bool held = false)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        var request = http.Request;
        var headers = request.Headers;
        journal.Record(sequence, new RecordedRequest(
            receivedAt,
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            Header(headers.Authorization),
            Header(headers["Clerk-API-Version"]),
            Header(headers.UserAgent),
            Header(headers.Accept),
            Header(headers.ContentType),
            body,
            statusCode)
        {
            Held = held,
        });
    }

    private static string? Header(StringValues values) => values.Count == 0 ? null : values.ToString();
}
