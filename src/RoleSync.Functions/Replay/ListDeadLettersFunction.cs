using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Contract;
using RoleSync.Replay;

namespace RoleSync.Functions.Replay;

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
        if (reason is not null && (reason.Length is 0 or > 128 || reason.Any(char.IsControl)))
        {
            errors.Add("reason: must be 1-128 printable characters");
        }
        string? organizationId = query["organizationId"].FirstOrDefault();
        if (organizationId is not null && !RoleChangeParser.IsPrefixedId(organizationId, "org_"))
        {
            errors.Add("organizationId: must be \"org_\" followed by 1-64 ASCII letters or digits");
        }
        int limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } limitText && OperatorApi.ParseInt(limitText) is not (>= 1 and <= DeadLetterReplayer.MaxPerCall) )
        {
            errors.Add($"limit: must be a whole number from 1 to {DeadLetterReplayer.MaxPerCall}");
        }
        else if (query["limit"].FirstOrDefault() is { } ok)
        {
            limit = OperatorApi.ParseInt(ok)!.Value;
        }
        long from = 0;
        if (query["fromSequenceNumber"].FirstOrDefault() is { } fromText && !long.TryParse(fromText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out from))
        {
            errors.Add("fromSequenceNumber: must be a whole number, 0 or more");
        }
        if (errors.Count > 0)
        {
            return OperatorApi.Problem(400, "Invalid query", string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors.ToArray() });
        }

        var page = await replayer.ListAsync(reason, organizationId, limit, from, cancellationToken);
        return OperatorApi.Json(200, new DeadLetterListResponse(page.Items, page.NextSequenceNumber), OperatorJson.Default.DeadLetterListResponse);
    }
}
