namespace RoleSync.ModelCheck;

/// <summary>
/// The Clerk client's primary HTTP handler in the model check: every request becomes a <see cref="ClerkRequestOp"/> of
/// the simulation the host is attached to (<see cref="SimHost.Attach"/>).
/// </summary>
internal sealed class SimClerkHandler : HttpMessageHandler
{
    public Simulation? Simulation { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ClerkRequestOp.Start(Simulation ?? throw new InvalidOperationException("The host is not attached to a simulation."), request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("RoleSync sends asynchronously.");
}
