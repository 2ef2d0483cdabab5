using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/dead-letters?reason=&amp;organizationId=&amp;limit=&amp;fromSequenceNumber=</c>: peeks the dead-letter
/// sub-queue (no locks, nothing removed). Page on with <c>nextSequenceNumber</c>.
/// </summary>
public sealed class ListDeadLettersFunction(DeadLetterReplayer replayer)
{
    public const string Name = "ListDeadLetters";
    public const int DefaultLimit = 50;

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dead-letters")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        var errors = new List<string>();
        foreach (var key in query.Keys.Where(k => k is not ("reason" or "organizationId" or "limit" or "fromSequenceNumber" or "code")))
        {
            errors.Add($"{key}: unknown query parameter");
        }
        string? reason = query["reason"].FirstOrDefault();
        OperatorHttp.CheckReason(reason, errors);
        string? organizationId = query["organizationId"].FirstOrDefault();
        OperatorHttp.CheckId(organizationId, "org_", "organizationId", errors);
        int limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } limitText)
        {
            if (OperatorHttp.ParseInt(limitText) is int parsed and >= 1 and <= DeadLetterReplayer.MaxPerCall)
            {
                limit = parsed;
            }
            else
            {
                errors.Add($"limit: must be a whole number from 1 to {DeadLetterReplayer.MaxPerCall}");
            }
        }
        long from = 0;
        if (query["fromSequenceNumber"].FirstOrDefault() is { } fromText && !long.TryParse(fromText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out from))
        {
            errors.Add("fromSequenceNumber: must be a whole number, 0 or more");
        }
        if (OperatorHttp.Invalid("Invalid query", errors) is { } invalid)
        {
            return invalid;
        }

        var page = await replayer.ListAsync(reason, organizationId, limit, from, cancellationToken);
        return OperatorHttp.Json(200, new DeadLetterListResponse(page.Items, page.NextSequenceNumber), OperatorJson.Default.DeadLetterListResponse);
    }
}
