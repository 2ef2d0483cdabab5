using System.Globalization;
using System.Security.Cryptography;

namespace RoleSync.ClerkSandbox;

/// <summary>One Clerk error: status, code and the messages Clerk uses for it.</summary>
internal sealed record ClerkError(int StatusCode, string Code, string Message, string LongMessage, string? ParamName = null)
{
    public static readonly ClerkError AuthorizationHeaderFormatInvalid = new(
        401, "authorization_header_format_invalid", "Invalid Authorization header format",
        "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'");

    public static readonly ClerkError SecretKeyInvalid = new(
        401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.");

    public static readonly ClerkError TooManyRequests = new(
        429, "too_many_requests", "Too many requests", "Too many requests, please try again later.");

    public static readonly ClerkError OrganizationNotFound = new(404, "resource_not_found", "not found", "Given organization not found.");

    public static readonly ClerkError MembershipNotFound = new(404, "resource_not_found", "not found", "Resource not found");

    public static readonly ClerkError RoleNotFound = new(404, "resource_not_found", "not found", "Organization role not found", "role");

    public static readonly ClerkError ManagedByDirectory = new(
        409, "organization_membership_managed_by_scim", "membership role managed by SCIM",
        "This membership is managed by a SCIM directory and cannot be changed manually.");

    public static readonly ClerkError MinimumPermissionsNeeded = new(
        400, "organization_minimum_permissions_needed", "minimum organization permissions needed",
        "There has to be at least one organization member with the minimum required permissions");

    public static readonly ClerkError AlreadyAMember = new(
        400, "already_a_member_in_organization", "already a member", "User is already a member of the organization.");

    public static readonly ClerkError MembershipQuotaExceeded = new(
        403, "organization_membership_quota_exceeded", "Membership quota exceeded",
        "You have reached your limit of organization memberships.");

    public static readonly ClerkError UserNotFound = new(404, "resource_not_found", "not found", "User not found.", "user_id");

    public static readonly ClerkError RouteNotFound = new(
        404, "resource_not_found", "not found", "The requested resource was not found.");

    public static ClerkError ParamInvalid(string name) => new(422, "form_param_value_invalid", "is invalid", $"{name} is invalid", name);

    public static ClerkError ParamMissing(string name) => new(422, "form_param_missing", "is missing", $"{name} must be included.", name);

    public static ClerkError ParamUnknown(string name) =>
        new(422, "form_param_unknown", "is unknown", $"{name} is not a valid parameter for this request.", name);

    /// <summary>The error Clerk answers for a PATCH with this outcome; null when the role was set.</summary>
    public static ClerkError? ForOutcome(UpdateOutcome outcome) => outcome switch
    {
        UpdateOutcome.Updated => null,
        UpdateOutcome.OrganizationNotFound => OrganizationNotFound,
        UpdateOutcome.MembershipNotFound => MembershipNotFound,
        UpdateOutcome.RoleNotFound => RoleNotFound,
        UpdateOutcome.ManagedByDirectory => ManagedByDirectory,
        UpdateOutcome.LastAdmin => MinimumPermissionsNeeded,
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };

    /// <summary>The error Clerk answers for POST …/memberships with this outcome; null when it was created.</summary>
    public static ClerkError? ForOutcome(CreateOutcome outcome) => outcome switch
    {
        CreateOutcome.Created => null,
        CreateOutcome.OrganizationNotFound => OrganizationNotFound,
        CreateOutcome.UserNotFound => UserNotFound,
        CreateOutcome.RoleNotFound => ParamInvalid("role"),
        CreateOutcome.AlreadyAMember => AlreadyAMember,
        CreateOutcome.QuotaExceeded => MembershipQuotaExceeded,
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };

    /// <summary>The error Clerk answers for DELETE …/memberships/{user_id} with this outcome; null when it was deleted.</summary>
    public static ClerkError? ForOutcome(DeleteOutcome outcome) => outcome switch
    {
        DeleteOutcome.Deleted => null,
        DeleteOutcome.OrganizationNotFound => OrganizationNotFound,
        DeleteOutcome.MembershipNotFound => MembershipNotFound,
        DeleteOutcome.ManagedByDirectory => ManagedByDirectory,
        DeleteOutcome.LastAdmin => MinimumPermissionsNeeded,
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };

    /// <summary>A plausible Clerk body for an injected failure with this status.</summary>
    public static ClerkError ForStatus(int statusCode) => statusCode switch
    {
        400 => new(400, "request_body_invalid", "Request body invalid",
            "The request body is invalid. Please consult the API documentation for more information."),
        401 => new(401, "authentication_invalid", "Invalid authentication", "Unable to authenticate the request."),
        403 => new(403, "authorization_invalid", "Unauthorized request", "You are not authorized to perform this request"),
        404 => MembershipNotFound,
        429 => TooManyRequests,
        502 or 503 or 504 => new(statusCode, "service_unavailable", "Service unavailable",
            "The service is temporarily unavailable. Please try again later."),
        _ => new(statusCode, "internal_clerk_error", "Oops, an unexpected error occurred",
            "There was an internal error on our servers. We've been notified and are working on fixing it."),
    };
}

/// <summary>Writes a <see cref="ClerkError"/> in Clerk's body shape, with a trace id or a cf-ray header.</summary>
internal sealed class ClerkErrorResult(ClerkError error, bool omitTraceId, int? retryAfterSeconds = null) : IResult
{
    public ClerkError Error => error;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = error.StatusCode;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        string? traceId = null;
        if (omitTraceId)
        {
            response.Headers["cf-ray"] = $"{RandomHex(8)}-FRA";
        }
        else
        {
            traceId = RandomHex(16);
        }

        var meta = error.ParamName is null ? null : new Dictionary<string, string> { ["param_name"] = error.ParamName };
        var body = new ErrorResponse([new ErrorItem(error.Message, error.LongMessage, error.Code, meta)], traceId);
        return response.WriteAsJsonAsync(body, ClerkJsonContext.Default.ErrorResponse, contentType: null, httpContext.RequestAborted);
    }

    /// <summary>Whole seconds, rounded up.</summary>
    public static int ToSeconds(TimeSpan delay) => (int)Math.Ceiling(Math.Max(0, delay.TotalSeconds));

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
