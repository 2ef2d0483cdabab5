using Azure.Core;

namespace RoleSync.KeyVaultFake;

/// <summary>A credential that always returns <paramref name="token"/>, valid for an hour, and counts how often it was asked.</summary>
public sealed class StaticTokenCredential(string token = "fake-token") : TokenCredential
{
    private int _calls;

    /// <summary>How many tokens were requested.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
