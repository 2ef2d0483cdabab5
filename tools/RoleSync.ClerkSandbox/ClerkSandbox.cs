using System.Net;
using System.Text.Json;

namespace RoleSync.ClerkSandbox;

/// <summary>
/// A fake Clerk Backend API on 127.0.0.1 serving <c>PATCH</c> and <c>DELETE /v1/organizations/{org}/memberships/{user}</c>,
/// <c>GET</c> and <c>POST /v1/organizations/{org}/memberships</c> and <c>GET /v1/users</c> with Clerk's error bodies, rate limits and injectable faults.
/// Every member is thread-safe and may be called while requests are in flight.
/// </summary>
public sealed class ClerkSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxState _state;
    private readonly FaultPlan _faults;
    private readonly PatchHolds _holds;
    private readonly RequestJournal _journal;

    private ClerkSandbox(WebApplication app, SandboxState state, FaultPlan faults, PatchHolds holds, RequestJournal journal)
    {
        _app = app;
        _state = state;
        _faults = faults;
        _holds = holds;
        _journal = journal;
        BaseUrl = new Uri(app.Urls.Single());
    }

    /// <summary><c>http://127.0.0.1:{port}</c> with the port actually bound.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The bearer keys accepted now.</summary>
    public IReadOnlyCollection<string> SecretKeys => _state.SecretKeys;

    /// <summary>Requests recorded so far, in arrival order (empty when <see cref="ClerkSandboxOptions.RecordRequests"/> is off).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _journal.Snapshot();

    /// <summary>Held PATCHes (<see cref="HoldPatches"/>) applied so far, in the order they landed (kept even when requests are not recorded).</summary>
    public IReadOnlyList<LandedPatch> LandedPatches => _journal.LandedSnapshot();

    /// <summary>Requests received, whatever their outcome (dropped ones included).</summary>
    public int RequestCount => _journal.RequestCount;

    /// <summary>PATCH requests received, whatever their outcome (dropped ones included).</summary>
    public int PatchCount => _journal.PatchCount;

    /// <summary>429 answers given: injected, instance limit and membership limit.</summary>
    public int RateLimitedCount => _journal.RateLimitedCount;

    /// <summary>Real-time delay added before every response (and before a drop).</summary>
    public TimeSpan Latency
    {
        get => _faults.Latency;
        set => _faults.Latency = value;
    }

    /// <summary>Error bodies leave out <c>clerk_trace_id</c> and carry a <c>cf-ray</c> response header instead.</summary>
    public bool OmitTraceId
    {
        get => _faults.OmitTraceId;
        set => _faults.OmitTraceId = value;
    }

    public static async Task<ClerkSandbox> StartAsync(ClerkSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClerkSandboxOptions();
        options.Validate();
        var state = new SandboxState(options.TimeProvider, options.SecretKeys);
        var faults = new FaultPlan();
        var journal = new RequestJournal(options.RecordRequests);
        var holds = new PatchHolds(state, journal, options.TimeProvider);

        // The empty builder reads no appsettings or environment variables, so nothing outside can rebind or re-log it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        new ClerkApi(state, faults, holds, journal, options).Map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ClerkSandbox(app, state, faults, holds, journal);
    }

    /// <summary>Creates the organization if needed (with <c>org:admin</c> and <c>org:member</c> when no roles are given) and adds the roles to it.</summary>
    public void AddOrganization(string organizationId, params string[] roles)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentNullException.ThrowIfNull(roles);
        foreach (string role in roles)
        {
            ArgumentException.ThrowIfNullOrEmpty(role, nameof(roles));
        }

        _state.AddOrganization(organizationId, roles);
    }

    /// <summary>Adds or replaces a membership; creates the organization with the default roles if needed and adds <paramref name="role"/> to its roles.</summary>
    public void AddMember(string organizationId, string userId, string role, bool managedByDirectory = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(role);
        _state.AddMember(organizationId, userId, role, managedByDirectory);
    }

    public void RemoveMember(string organizationId, string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        _state.RemoveMember(organizationId, userId);
    }

    /// <summary>
    /// Adds a user (or replaces its external id and email addresses); with no address given it has
    /// <c>{userId}@example.com</c>. Members added by <see cref="AddMember"/> get a user of their own if they have none.
    /// </summary>
    public void AddUser(string userId, string? externalId = null, params string[] emailAddresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(emailAddresses);
        _state.Users.Add(userId, externalId, emailAddresses);
    }

    /// <summary>Deletes a user (its memberships stay, as a broken reference would in a test).</summary>
    public void RemoveUser(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        _state.Users.Remove(userId);
    }

    /// <summary>The organization's member limit: creating a membership beyond it answers 403 <c>organization_membership_quota_exceeded</c>; null: none.</summary>
    public void SetMaxMembers(string organizationId, int? maxMembers)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        _state.SetMaxMembers(organizationId, maxMembers);
    }

    /// <summary>Adds a role to the organization's role set, creating the organization with the default roles if needed.</summary>
    public void AddRole(string organizationId, string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(role);
        _state.AddRole(organizationId, role);
    }

    /// <summary>The member's role, or null when the user is not a member (or the organization does not exist).</summary>
    public string? GetRole(string organizationId, string userId) => _state.GetRole(organizationId, userId);

    /// <summary>Every membership with its current role, in creation order (for a freshly seeded sandbox: the seed's order).</summary>
    public IReadOnlyList<SandboxMembership> GetMemberships() => _state.AllMemberships();

    /// <summary>
    /// Adds the seed's organizations and members to the current state and, when it lists secret keys, makes them the accepted ones.
    /// Format: <c>{"secretKeys":[…],"users":[{"id":…,"externalId":…,"emailAddresses":[…]}],"organizations":[{"id":…,"roles":[…],"maxMembers":…,"members":[{"userId":…,"role":…,"managedByDirectory":false}]}]}</c>.
    /// </summary>
    /// <exception cref="JsonException">The JSON is malformed, misses a required field or has an unknown one.</exception>
    public void LoadSeed(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var seed = JsonSerializer.Deserialize(json, SeedJsonContext.Default.SandboxSeed)
            ?? throw new JsonException("The seed is empty (null).");
        if (seed.SecretKeys is { Count: > 0 } keys)
        {
            SetSecretKeys([.. keys]);
        }

        foreach (var user in seed.Users ?? [])
        {
            AddUser(user.Id, user.ExternalId, [.. user.EmailAddresses ?? []]);
        }

        foreach (var organization in seed.Organizations ?? [])
        {
            AddOrganization(organization.Id, [.. organization.Roles ?? []]);
            if (organization.MaxMembers is { } max)
            {
                SetMaxMembers(organization.Id, max);
            }

            foreach (var member in organization.Members ?? [])
            {
                AddMember(organization.Id, member.UserId, member.Role, member.ManagedByDirectory);
            }
        }
    }

    /// <summary>Key rotation: from now on only these keys are accepted.</summary>
    public void SetSecretKeys(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(keys));
        }

        _state.SetSecretKeys(keys);
    }

    /// <summary>
    /// Holds the next <paramref name="count"/> PATCH requests of this membership (valid body, past authentication and the
    /// rate limits): received, never answered, applied only when the returned <see cref="PatchHold"/> lands them. The
    /// late PATCH of a worker that gave up waiting. Several holds may be active; the oldest with room takes a PATCH.
    /// </summary>
    public PatchHold HoldPatches(string organizationId, string userId, int count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return _holds.Add(organizationId, userId, count);
    }

    /// <summary>Forgets the recorded requests and landed PATCHes and resets <see cref="RequestCount"/>, <see cref="PatchCount"/> and <see cref="RateLimitedCount"/>.</summary>
    public void ClearRequests() => _journal.Clear();

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="statusCode"/> (400–599) with a Clerk-shaped body. Replaces an earlier call.</summary>
    public void FailNext(int count, int statusCode = 503) => _faults.FailNext(count, statusCode);

    /// <summary>
    /// The next <paramref name="count"/> requests answer <paramref name="statusCode"/> (400–599) the way a proxy, a gateway or
    /// a wrong host would: <paramref name="page"/> as the body, without Clerk's <c>errors[]</c>, <c>clerk_trace_id</c> or
    /// <c>cf-ray</c> header. Taken before <see cref="FailNext"/>. Replaces an earlier call.
    /// </summary>
    public void FailNextLikeAProxy(int count, int statusCode = 404, ProxyPage page = ProxyPage.Html) =>
        _faults.FailNextLikeAProxy(count, statusCode, page);

    /// <summary>The next <paramref name="count"/> requests get no response: the connection is aborted. Replaces an earlier call.</summary>
    public void DropNext(int count) => _faults.DropNext(count);

    /// <summary>The next <paramref name="count"/> requests answer 429 with <c>Retry-After</c> = <paramref name="retryAfter"/> in whole seconds, rounded up. Replaces an earlier call.</summary>
    public void RateLimitNext(int count, TimeSpan retryAfter) => _faults.RateLimitNext(count, retryAfter);

    public async ValueTask DisposeAsync()
    {
        _holds.DiscardAll(); // held requests end now instead of delaying the shutdown
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
