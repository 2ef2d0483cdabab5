using RoleSync.Functions.Tests.OperatorApi;
using Microsoft.Playwright;
using RoleSync.Audit;
using RoleSync.History;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// One test's app for the console's browser tests: the HTTP functions on a real socket (<see cref="FunctionsHttpHost"/>)
/// over a Clerk sandbox, with the dead-letter queue, role-changes queue, ledger, history, audit and request store in
/// memory so a test seeds and inspects them; the bulk-change guard holds an organization's second change in a window.
/// Principals come as App Service Authentication would inject them (<c>X-MS-CLIENT-PRINCIPAL</c>, trusted through the
/// Development-only <c>OperatorAuth:AllowUnverifiedPrincipal</c>), added to every request of a browser context.
/// </summary>
internal sealed class ConsoleApp : IAsyncDisposable
{
    public const string OtherMemberId = "user_2consoleOtherMember";
    private readonly List<IBrowserContext> _contexts = [];
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private long _sequence = 100;

    private ConsoleApp(ClerkSandbox.ClerkSandbox clerk) => Clerk = clerk;

    public ClerkSandbox.ClerkSandbox Clerk { get; }

    public FunctionsHttpHost Host { get; private set; } = null!;

    public FakeDeadLetterQueue DeadLetters { get; } = new();

    public FakeRoleChangeQueue Queue { get; } = new();

    public InMemoryMembershipLedger Ledger { get; } = new();

    public InMemoryMembershipHistory History { get; } = new();

    public InMemoryOperatorAuditLog Audit { get; } = new();

    /// <summary>Errors the pages logged (a CSP violation, an exception in the script), not failed requests: every test expects none.</summary>
    public List<string> PageErrors { get; } = [];

    public static async Task<ConsoleApp> StartAsync()
    {
        var app = new ConsoleApp(await StartSandboxAsync());
        app.Clerk.AddMember(OrgId, OtherMemberId, "org:member");
        var settings = TestHost.LocalSettings(app.Clerk.BaseUrl.ToString());
        settings["OperatorAuth:AllowUnverifiedPrincipal"] = "true";
        settings["Clerk:MaxRetryAttempts"] = "0";
        settings["Guard:MaxPerWindow"] = "1";
        settings["Reconcile:Schedule"] = "0 0 3 * * *"; // validated at start; the timer never runs here
        app._sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(1L);
        app.Host = await FunctionsHttpHost.StartAsync(settings, services =>
        {
            services.AddSingleton(app._sender.Object);
            services.AddSingleton<IDeadLetterQueue>(app.DeadLetters);
            services.AddSingleton<IRoleChangeQueue>(app.Queue);
            services.AddSingleton<IMembershipLedger>(app.Ledger);
            services.AddSingleton<IMembershipHistory>(app.History);
            services.AddSingleton<IOperatorAuditLog>(app.Audit);
            services.AddSingleton<IOperatorRequestStore>(new InMemoryOperatorRequestStore());
        });
        return app;
    }

    /// <summary>Processes <paramref name="body"/> as a delivery from the queue (Clerk, ledger, history, guard), as the trigger would.</summary>
    public Task DeliverAsync(string body) => Host.Services.GetRequiredService<RoleChangeMessageHandler>().HandleAsync(
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: "m" + _sequence, contentType: "application/json",
            deliveryCount: 1, sequenceNumber: ++_sequence, lockTokenGuid: Guid.NewGuid(), enqueuedTime: DateTimeOffset.UtcNow),
        _actions.Object);

    /// <summary>A removal of <paramref name="userId"/> from <see cref="RoleSyncHarness.OrgId"/>, just now.</summary>
    public static string Removal(string eventId, string userId) =>
        Message(eventId, DateTimeOffset.UtcNow.AddSeconds(-1), OrgId, userId: userId, role: null, action: "remove");

    /// <summary>A role change of <see cref="RoleSyncHarness.MemberId"/>, just now.</summary>
    public static string Change(string eventId, string role) => Plain(eventId, DateTimeOffset.UtcNow.AddSeconds(-1), role: role);

    /// <summary>A page in a new browser context whose every request carries a principal with <paramref name="roles"/>.</summary>
    public async Task<IPage> OpenAsync(IBrowser browser, string fragment, string[] roles, int width = 1280, int height = 800)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = Host.BaseUrl.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { [OperatorAuthorizer.PrincipalHeader] = TestPrincipals.Header(roles: roles) },
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Chromium logs every 4xx/5xx answer as "Failed to load resource"; the tests check those answers themselves.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                PageErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => PageErrors.Add(error);
        await page.GotoAsync("/console" + fragment);
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("Signed in as Alice");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await Host.DisposeAsync();
        await Clerk.DisposeAsync();
    }
}
