namespace RoleSync.ClerkSandbox;

/// <summary>Settings read once when <see cref="ClerkSandbox.StartAsync"/> starts the server.</summary>
public sealed class ClerkSandboxOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port (see <see cref="ClerkSandbox.BaseUrl"/>).</summary>
    public int Port { get; set; }

    /// <summary>Bearer keys accepted at start; <see cref="ClerkSandbox.SetSecretKeys"/> replaces them later.</summary>
    public IList<string> SecretKeys { get; } = ["sk_test_sandbox_fake_key"];

    /// <summary>Requests per <see cref="InstanceWindow"/> over all endpoints (0 = unlimited), like Clerk's per-instance limit.</summary>
    public int InstanceLimit { get; set; } = 1000;

    public TimeSpan InstanceWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PATCH requests per membership per <see cref="MembershipWindow"/> (0 = unlimited).</summary>
    public int MembershipLimit { get; set; } = 10;

    public TimeSpan MembershipWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for the rate-limit windows, timestamps and <see cref="RecordedRequest.ReceivedAt"/>; <see cref="ClerkSandbox.Latency"/> always uses real time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Keep every request in <see cref="ClerkSandbox.Requests"/>; load tests turn it off (the counters still work).</summary>
    public bool RecordRequests { get; set; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Port, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfNegative(InstanceLimit, nameof(InstanceLimit));
        ArgumentOutOfRangeException.ThrowIfNegative(MembershipLimit, nameof(MembershipLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InstanceWindow, TimeSpan.Zero, nameof(InstanceWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MembershipWindow, TimeSpan.Zero, nameof(MembershipWindow));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
