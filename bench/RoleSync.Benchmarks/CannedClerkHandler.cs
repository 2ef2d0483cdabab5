using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace RoleSync.Benchmarks;

/// <summary>
/// The benchmark's in-process Clerk: reads the request body (as a socket would) and answers 200 with a canned
/// membership, without sockets. Everything above it (the typed client, the resilience pipeline) is the real one.
/// </summary>
internal sealed class CannedClerkHandler : HttpMessageHandler
{
    private static readonly byte[] Membership = Encoding.UTF8.GetBytes(
        """{"object":"organization_membership","id":"orgmem_bench","role":"org:billing","organization":{"id":"org_bench"},"public_user_data":{"user_id":"user_b0000"}}""");

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public int Requests => _requests;

    private int _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        var content = new ByteArrayContent(Membership);
        content.Headers.ContentType = Json;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
