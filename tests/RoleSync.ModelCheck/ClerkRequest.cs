using System.Globalization;
using System.Text.Json;

namespace RoleSync.ModelCheck;

/// <summary>
/// One request to the simulated Clerk, read off the wire: <c>PATCH /v1/organizations/{org}/memberships/{user}</c> with
/// <c>{"role":…}</c>, <c>POST …/memberships</c> with <c>{"user_id":…,"role":…}</c>, <c>DELETE …/memberships/{user}</c> (writes:
/// <see cref="IsPatch"/>, named by <see cref="Method"/>), or <c>GET /v1/organizations/{org}/memberships?user_id=…[&amp;user_id=…][&amp;limit=…][&amp;offset=…]</c>.
/// <see cref="Sequence"/> numbers the requests in the order they were sent.
/// </summary>
internal sealed record ClerkRequest(
    long Sequence,
    bool IsPatch,
    string OrganizationId,
    string? UserId,
    IReadOnlyList<string> UserIds,
    string? Role,
    int Limit,
    int Offset,
    bool Authorized)
{
    public const string SecretKey = "sk_test_modelcheck_fake_key";

    /// <summary>For a write (<see cref="IsPatch"/>): PATCH, POST (create the membership) or DELETE (remove it).</summary>
    public string Method { get; init; } = "PATCH";

    public string Describe() => IsPatch
        ? $"{Method}#{Sequence} {OrganizationId}/{UserId} {Role}"
        : $"GET#{Sequence} {OrganizationId} user_id={string.Join(",", UserIds)} limit={Limit} offset={Offset}";

    public static ClerkRequest Read(long sequence, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request without a URI.");
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        bool authorized = request.Headers.Authorization is { Scheme: "Bearer", Parameter: SecretKey };
        if (segments is not ["v1", "organizations", var org, "memberships", ..])
        {
            throw new InvalidOperationException($"The simulated Clerk does not know {request.Method} {uri.AbsolutePath}.");
        }
        org = Uri.UnescapeDataString(org);
        if (request.Method == HttpMethod.Patch && segments is [_, _, _, _, var user])
        {
            // Polly sends the same request message again on a retry: read its content from the start every time.
            var stream = request.Content!.ReadAsStream();
            stream.Position = 0;
            using var body = JsonDocument.Parse(stream);
            var role = body.RootElement.GetProperty("role").GetString();
            return new(sequence, true, org, Uri.UnescapeDataString(user), [], role, 0, 0, authorized);
        }
        if (request.Method == HttpMethod.Delete && segments is [_, _, _, _, var removed])
        {
            return new(sequence, true, org, Uri.UnescapeDataString(removed), [], null, 0, 0, authorized) { Method = "DELETE" };
        }
        if (request.Method == HttpMethod.Post && segments.Length == 4)
        {
            var stream = request.Content!.ReadAsStream();
            stream.Position = 0;
            using var body = JsonDocument.Parse(stream);
            return new(sequence, true, org, body.RootElement.GetProperty("user_id").GetString(), [], body.RootElement.GetProperty("role").GetString(), 0, 0, authorized)
            {
                Method = "POST",
            };
        }
        if (request.Method == HttpMethod.Get && segments.Length == 4)
        {
            var userIds = new List<string>();
            int limit = 10, offset = 0;
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                    ? (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]))
                    : (pair, "");
                switch (name)
                {
                    case "user_id":
                        userIds.Add(value);
                        break;
                    case "limit":
                        limit = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "offset":
                        offset = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new InvalidOperationException($"The simulated Clerk does not know the query parameter {name}.");
                }
            }
            return new(sequence, false, org, null, userIds, null, limit, offset, authorized);
        }
        throw new InvalidOperationException($"The simulated Clerk does not know {request.Method} {uri.AbsolutePath}.");
    }
}
