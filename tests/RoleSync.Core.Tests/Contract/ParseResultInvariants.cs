using System.Text.RegularExpressions;

namespace RoleSync.Core.Tests.Contract;

/// <summary>What must hold for every parse result, whatever the input.</summary>
internal static partial class ParseResultInvariants
{
    /// <summary>The fields an error may name, apart from the names of duplicated unknown properties.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>
    {
        "body", "eventId", "occurredAt", "organizationId", "userId", "role", "source", "reason",
        "specversion", "type", "id", "time", "datacontenttype", "data",
        "data.organizationId", "data.userId", "data.role", "data.reason",
        "externalId", "emailAddress", "action", "data.externalId", "data.emailAddress", "data.action",
    };

    [GeneratedRegex(@"^org_[A-Za-z0-9]{1,64}\z")]
    public static partial Regex OrganizationId();

    [GeneratedRegex(@"^user_[A-Za-z0-9]{1,64}\z")]
    public static partial Regex UserId();

    [GeneratedRegex(@"^org:[a-z0-9_]{1,64}\z")]
    public static partial Regex Role();

    /// <summary>
    /// A valid result carries a change that satisfies every rule (checked here independently of the parser);
    /// an invalid one carries at least one error, each "field: message", single-line.
    /// </summary>
    public static void Check(RoleChangeParseResult result, DateTimeOffset now)
    {
        if (result.IsValid)
        {
            var change = result.Change!;
            Assert.Empty(result.Errors);
            Assert.Equal(change.EventId, result.EventId);
            Assert.InRange(change.EventId.Length, 1, 128);
            Assert.False(change.EventId.Any(char.IsControl), "eventId has a control character");
            Assert.Matches(OrganizationId(), change.OrganizationId);
            var identifiers = (change.UserId.Length > 0 ? 1 : 0) + (change.ExternalId is null ? 0 : 1) + (change.EmailAddress is null ? 0 : 1);
            Assert.Equal(1, identifiers);
            if (change.UserId.Length > 0)
            {
                Assert.Matches(UserId(), change.UserId);
            }
            Assert.True(change.ExternalId is null || (change.ExternalId.Length is >= 1 and <= 255 && !change.ExternalId.Any(char.IsControl)), "externalId");
            Assert.True(change.EmailAddress is null || (change.EmailAddress.Count(c => c == '@') == 1 && change.EmailAddress.Length <= 254 && !change.EmailAddress.Any(c => c <= ' ' || char.IsControl(c))), "emailAddress");
            if (change.IsRemoval)
            {
                Assert.Equal("", change.Role);
            }
            else
            {
                Assert.Matches(Role(), change.Role);
            }
            Assert.True(change.Source is null || change.Source.Length <= 100, "source too long");
            Assert.True(change.Reason is null || change.Reason.Length <= 500, "reason too long");
            Assert.True(change.OccurredAt <= now.AddMinutes(5), $"occurredAt {change.OccurredAt:O} is in the future");
            return;
        }
        Assert.Null(result.Change);
        Assert.NotEmpty(result.Errors);
        foreach (var error in result.Errors)
        {
            var colon = error.IndexOf(": ", StringComparison.Ordinal);
            Assert.True(colon >= 0, $"error without a field: \"{error}\"");
            var field = error[..colon];
            var message = error[(colon + 2)..];
            Assert.True(
                Fields.Contains(field) || message.StartsWith("duplicate property name", StringComparison.Ordinal),
                $"error names no known field: \"{error}\"");
            Assert.False(string.IsNullOrWhiteSpace(message), $"error without a message: \"{error}\"");
            Assert.False(error.Any(char.IsControl), $"error with a control character: \"{error}\"");
        }
    }
}
