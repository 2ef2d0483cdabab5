using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Audit;
using RoleSync.Contract;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The query string of one operator call, validated in one place. Each read checks its parameter and notes it as
/// known; <see cref="Problem"/> is the 400 that lists every error, unknown parameters first (<c>code</c>, the
/// function key older scripts may still send, is always known and ignored: operators authenticate with Entra ID).
/// </summary>
internal sealed class OperatorQuery(IQueryCollection query)
{
    /// <summary>The function key's query parameter.</summary>
    public const string FunctionKey = "code";

    private readonly HashSet<string> _known = [FunctionKey];
    private readonly List<string> _errors = [];

    /// <summary><c>dryRun</c>: false when absent, null when it is neither true nor false.</summary>
    public static bool? DryRun(IQueryCollection query) =>
        bool.TryParse(query["dryRun"].FirstOrDefault() ?? "false", out var dryRun) ? dryRun : null;

    /// <summary><c>reason</c>, a dead-letter reason filter (1-128 printable characters).</summary>
    public string? Reason()
    {
        var reason = Read("reason");
        OperatorChecks.Reason(reason, _errors);
        return reason;
    }

    /// <summary><c>organizationId</c>, a Clerk organization ID (<c>org_…</c>).</summary>
    public string? OrganizationId()
    {
        var organizationId = Read("organizationId");
        OperatorChecks.Id(organizationId, "org_", "organizationId", _errors);
        return organizationId;
    }

    /// <summary><c>userId</c>, a Clerk user ID (<c>user_…</c>).</summary>
    public string? UserId()
    {
        var userId = Read("userId");
        OperatorChecks.Id(userId, "user_", "userId", _errors);
        return userId;
    }

    /// <summary><c>externalId</c>, a Clerk <c>external_id</c> as the contract accepts it (1-255 characters, no control characters).</summary>
    public string? ExternalId()
    {
        var externalId = Read("externalId");
        if (externalId is not null && !ClerkIds.IsExternalId(externalId))
        {
            _errors.Add($"externalId: must be 1-{RoleChangeParser.MaxExternalIdLength} characters without control characters");
        }
        return externalId;
    }

    /// <summary><c>emailAddress</c>, an address as the contract accepts it (local part, one "@", domain; no spaces).</summary>
    public string? EmailAddress()
    {
        var emailAddress = Read("emailAddress");
        if (emailAddress is not null && !ClerkIds.IsEmailAddress(emailAddress))
        {
            _errors.Add($"emailAddress: must be an address (local part, one \"@\", domain; no spaces or control characters; at most {RoleChangeParser.MaxEmailAddressLength} characters)");
        }
        return emailAddress;
    }

    /// <summary><c>limit</c>, a whole number from 1 to <paramref name="max"/>; <paramref name="defaultLimit"/> when absent.</summary>
    public int Limit(int defaultLimit, int max)
    {
        if (Read("limit") is not { } text)
        {
            return defaultLimit;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }
        _errors.Add($"limit: must be a whole number from 1 to {max}");
        return defaultLimit;
    }

    /// <summary><c>fromSequenceNumber</c>, a whole number, 0 or more; 0 when absent.</summary>
    public long FromSequenceNumber()
    {
        if (Read("fromSequenceNumber") is not { } text)
        {
            return 0;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return from;
        }
        _errors.Add("fromSequenceNumber: must be a whole number, 0 or more");
        return 0;
    }

    /// <summary>An RFC 3339 time with an explicit offset; null when absent (or invalid: then an error).</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Read(name) is not { } text)
        {
            return null;
        }
        if (Rfc3339.TryParse(text, out var time))
        {
            return time;
        }
        _errors.Add($"{name}: must be an RFC 3339 time with an offset, e.g. 2026-12-01T00:00:00Z");
        return null;
    }

    /// <summary>The error of a <c>continuationToken</c> that no page gave.</summary>
    public const string InvalidContinuationToken = "continuationToken: must be the continuationToken of a previous page";

    /// <summary><c>continuationToken</c>, a previous page's token (1-4096 printable characters); null when absent.</summary>
    public string? ContinuationToken()
    {
        var token = Read("continuationToken");
        if (token is not null && (token.Length is 0 or > 4096 || token.Any(char.IsControl)))
        {
            _errors.Add(InvalidContinuationToken);
            return null;
        }
        return token;
    }

    /// <summary>Adds an error that spans parameters.</summary>
    public void Error(string error) => _errors.Add(error);

    /// <summary>400 titled <paramref name="title"/> listing unknown parameters and invalid values, or null when there are none.</summary>
    public ProblemHttpResult? Problem(string title) =>
        OperatorProblems.Invalid(title, [.. query.Keys.Where(key => !_known.Contains(key)).Select(key => $"{key}: unknown query parameter"), .. _errors]);

    private string? Read(string name)
    {
        _known.Add(name);
        return query[name].FirstOrDefault();
    }
}
