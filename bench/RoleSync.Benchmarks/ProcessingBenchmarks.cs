using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Secrets;

namespace RoleSync.Benchmarks;

/// <summary>
/// One message through the processing policy, wired as production wires it (<see cref="RoleSyncCoreExtensions.AddRoleSyncCore{TBuilder}"/>,
/// in-memory ledger), with the in-process Clerk of <see cref="CannedClerkHandler"/> as the HTTP handler. Each call
/// is a new change (new event id, later timestamp) for one of 1 000 memberships, so every call takes the happy
/// path: parse, 1 ledger read, 2 conditional writes, 1 PATCH.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ProcessingBenchmarks
{
    private const int Memberships = 1000;
    private const int UnreachableBudget = 100_000_000;
    private static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Fixed-width fields, rewritten in place for every call: event id (10 digits), timestamp ("O" format, 33
    // characters) and user (4 digits).
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        """{"eventId":"evt-0000000000","occurredAt":"2026-01-01T00:00:00.0000000+00:00","organizationId":"org_bench","userId":"user_b0000","role":"org:billing","source":"workday"}""");

    private static readonly byte[] RoleBody = Encoding.UTF8.GetBytes("""{"role":"org:billing"}""");
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly AuthenticationHeaderValue Authorization = new("Bearer", "sk_test_benchmark_fake_key");
    private HttpClient _bare = null!;
    private HttpClient _plain = null!;
    private ClerkClient _clerkWithoutPipeline = null!;
    private int _eventIdAt, _occurredAtAt, _userAt;
    private long _sequence;
    private IHost _services = null!;
    private RoleChangeProcessor _processor = null!;
    private ClerkClient _clerk = null!;
    private CannedClerkHandler _handler = null!;
    private ClerkRateLimiter _limiter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = Encoding.UTF8.GetString(_body);
        _eventIdAt = Encoding.UTF8.GetByteCount(text[..(text.IndexOf("evt-", StringComparison.Ordinal) + 4)]);
        _occurredAtAt = Encoding.UTF8.GetByteCount(text[..text.IndexOf("2026-01-01T", StringComparison.Ordinal)]);
        _userAt = Encoding.UTF8.GetByteCount(text[..(text.IndexOf("user_b", StringComparison.Ordinal) + 6)]);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = "http://clerk.invalid",
            ["Clerk:SecretKey"] = "sk_test_benchmark_fake_key",
        });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        _handler = new CannedClerkHandler();
        // The limiter's budget is a rate, not a cost: at the configurable maximum (100 000 per 10 s) a tight loop
        // would measure the budget (100 us per call). This limiter (registered first, so AddRoleSyncCore keeps it)
        // has a budget no benchmark reaches, so the figures are CPU and allocations only.
        _limiter = new ClerkRateLimiter(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = UnreachableBudget }));
        builder.Services.AddSingleton(_limiter);
        builder.Services.AddSingleton<IMembershipLedger, InMemoryMembershipLedger>();
        builder.AddRoleSyncCore();
        builder.Services.AddHttpClient(nameof(ClerkClient)).ConfigurePrimaryHttpMessageHandler(() => _handler);
        _services = builder.Build();
        _processor = _services.Services.GetRequiredService<RoleChangeProcessor>();
        _clerk = _services.Services.GetRequiredService<ClerkClient>();
        _bare = new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("http://clerk.invalid/") };
        _plain = new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("http://clerk.invalid/") };
        _plain.DefaultRequestHeaders.Accept.ParseAdd("application/json"); // as AddRoleSyncCore sets them
        _plain.DefaultRequestHeaders.Add("Clerk-API-Version", "2026-05-12");
        _plain.DefaultRequestHeaders.UserAgent.ParseAdd($"RoleSync/{RoleSyncInfo.Version}");
        _clerkWithoutPipeline = new ClerkClient(_plain, new ConfiguredClerkSecretProvider(new ClerkSecret("sk_test_benchmark_fake_key")), TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_handler.Requests == 0)
        {
            throw new InvalidOperationException("The canned Clerk handler was never called: the primary handler swap did not take effect.");
        }
        _bare.Dispose();
        _plain.Dispose();
        _services.Dispose();
        _limiter.Dispose();
    }

    /// <summary>Parse + validate + ledger + Clerk client + resilience pipeline, for one new change.</summary>
    [Benchmark(Baseline = true)]
    public async Task<ProcessingResult> ProcessMessage()
    {
        NextBody();
        var result = await _processor.ProcessAsync(_body).ConfigureAwait(false);
        return result.Outcome == Outcome.Applied
            ? result
            : throw new InvalidOperationException($"Expected Applied, got {result.Outcome} {result.Reason} {result.Detail}");
    }

    /// <summary>A bare HttpClient PATCH to the same handler (no typed client, no pipeline): the floor of the two above.</summary>
    [Benchmark]
    public async Task<int> BareHttpClientPatch()
    {
        var content = new ByteArrayContent(RoleBody);
        content.Headers.ContentType = JsonType;
        using var request = new HttpRequestMessage(HttpMethod.Patch, "v1/organizations/org_bench/memberships/user_b0001") { Content = content };
        request.Headers.Authorization = Authorization;
        using var response = await _bare.SendAsync(request).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? (int)response.StatusCode : throw new InvalidOperationException(response.StatusCode.ToString());
    }

    /// <summary>The typed Clerk client over a plain HttpClient with the same default headers: no resilience pipeline.</summary>
    [Benchmark]
    public async Task<ClerkResult> ClerkClientWithoutPipeline()
    {
        var result = await _clerkWithoutPipeline.UpdateMembershipRoleAsync("org_bench", "user_b0001", "org:billing").ConfigureAwait(false);
        return result.IsSuccess ? result : throw new InvalidOperationException(result.Error!.ToString());
    }

    /// <summary>The Clerk client and its resilience pipeline alone (one PATCH), to split the cost above.</summary>
    [Benchmark]
    public async Task<ClerkResult> ClerkPatchOnly()
    {
        var result = await _clerk.UpdateMembershipRoleAsync("org_bench", "user_b0001", "org:billing").ConfigureAwait(false);
        return result.IsSuccess ? result : throw new InvalidOperationException(result.Error!.ToString());
    }

    private void NextBody()
    {
        long n = ++_sequence;
        var span = _body.AsSpan();
        Write(n.TryFormat(span.Slice(_eventIdAt, 10), out int written, "D10"), written, 10);
        Write(BaseTime.AddTicks(n).TryFormat(span.Slice(_occurredAtAt, 33), out written, "O"), written, 33);
        Write((n % Memberships).TryFormat(span.Slice(_userAt, 4), out written, "D4"), written, 4);
    }

    private static void Write(bool formatted, int written, int expected)
    {
        if (!formatted || written != expected)
        {
            throw new InvalidOperationException("A fixed-width field did not fit.");
        }
    }
}
