namespace RoleSync.Core.Tests.Processing;

/// <summary>Every Clerk status and error code of the facts file → the outcome and reason the policy gives it.</summary>
public sealed class ClerkErrorPolicyTests
{
    private static readonly RoleChange Change = new("evt-1", DateTimeOffset.UnixEpoch, "org_a", "user_b", "org:admin", null, null);

    [Theory]
    // status, code, param_name, long_message, expected outcome, expected reason
    [InlineData(401, "authentication_invalid", null, null, Outcome.Transient, Reasons.ClerkUnauthorized)]
    [InlineData(401, "clerk_key_invalid", null, null, Outcome.Transient, Reasons.ClerkUnauthorized)]
    [InlineData(401, "authorization_header_format_invalid", null, null, Outcome.Transient, Reasons.ClerkUnauthorized)]
    [InlineData(403, "authorization_invalid", null, null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(403, "organization_membership_quota_exceeded", null, null, Outcome.Rejected, Reasons.MembershipQuotaExceeded)]
    [InlineData(400, "already_a_member_in_organization", null, null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(404, "resource_not_found", null, "Resource not found", Outcome.Rejected, Reasons.MembershipNotFound)]
    [InlineData(404, "resource_not_found", "role", "Organization role not found", Outcome.Rejected, Reasons.RoleNotFound)]
    [InlineData(404, "resource_not_found", null, "Organization role not found", Outcome.Rejected, Reasons.RoleNotFound)]
    [InlineData(400, "organization_minimum_permissions_needed", null, null, Outcome.Rejected, Reasons.LastAdmin)]
    [InlineData(400, "some_other_bad_request", null, null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(409, "organization_membership_managed_by_scim", null, null, Outcome.Rejected, Reasons.ManagedByDirectory)]
    [InlineData(409, "conflict", null, null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(422, "form_param_missing", "role", null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(422, "form_param_value_invalid", "role", null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(422, "form_param_unknown", "foo", null, Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(429, "too_many_requests", null, null, Outcome.Transient, Reasons.ClerkRateLimited)]
    [InlineData(408, "http_408", null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(500, "internal_clerk_error", null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(502, "http_502", null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(503, "http_503", null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(200, ClerkError.UnreadableResponse, null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(302, "http_302", null, null, Outcome.Transient, Reasons.ClerkUnavailable)]
    public void Classifies_clerk_errors(int status, string code, string? param, string? longMessage, Outcome outcome, string reason)
    {
        var result = ClerkErrorPolicy.Classify(Change, new ClerkError(status, code, "message", longMessage, param, "trace-123") { FromClerk = true });

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Equal("trace-123", result.ClerkTraceId);
        Assert.Contains(code, result.Detail);
        Assert.Contains("trace-123", result.Detail);
    }

    [Theory]
    // An answer without Clerk's evidence (errors[] code, clerk_trace_id, cf-ray): status, code → outcome, reason
    [InlineData(401, "http_401", Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(403, "http_403", Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(404, "http_404", Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(404, "resource_not_found", Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(429, "http_429", Outcome.Transient, Reasons.ClerkRateLimited)]
    [InlineData(502, "http_502", Outcome.Transient, Reasons.ClerkUnavailable)]
    [InlineData(400, "http_400", Outcome.Rejected, Reasons.ClerkRejected)]
    public void Answers_that_are_not_clerks_are_no_verdict_on_the_change(int status, string code, Outcome outcome, string reason)
    {
        var result = ClerkErrorPolicy.Classify(Change, new ClerkError(status, code, "Not Found", ParamName: status == 404 ? "role" : null) { FromClerk = false });

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(code, result.Detail);
        if (status is 401 or 403 or 404)
        {
            Assert.Contains("not from Clerk", result.Detail);
        }
    }

    [Theory]
    [InlineData(ClerkError.NetworkError)]
    [InlineData(ClerkError.Timeout)]
    public void No_response_is_transient(string code)
    {
        var result = ClerkErrorPolicy.Classify(Change, new ClerkError(null, code, "connection refused"));
        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.ClerkUnavailable, result.Reason);
    }

    [Fact]
    public void Rate_limit_carries_retry_after()
    {
        var result = ClerkErrorPolicy.Classify(Change, new ClerkError(429, "too_many_requests", "slow down", RetryAfter: TimeSpan.FromSeconds(42)));
        Assert.Equal(TimeSpan.FromSeconds(42), result.RetryAfter);
    }

    [Fact]
    public void Details_are_one_line_bounded_and_redacted()
    {
        var hostile = "line1\nline2\r" + new string('x', 5000) + " sk_live_fake_key_for_redaction_tests";
        var result = ClerkErrorPolicy.Classify(Change, new ClerkError(400, "bad", hostile, hostile));

        Assert.True(result.Detail!.Length <= ProcessingResult.MaxDetailLength);
        Assert.DoesNotContain('\n', result.Detail);
        Assert.DoesNotContain('\r', result.Detail);
        var redacted = ProcessingResult.CleanDetail("key sk_live_fake_key_for_redaction_tests leaked");
        Assert.Equal("key sk_*** leaked", redacted);
    }
}
