using Microsoft.Playwright;
using RoleSync.Guard;
using RoleSync.Functions.Tests.OperatorApi;
using static Microsoft.Playwright.Assertions;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// A Reader in the console sees everything and gets no action button; an action forged from the page (the same
/// session) is refused 403 by the API and changes nothing. The holds page for an Operator approves an organization.
/// </summary>
public sealed class ConsoleReaderTests(BrowserFixture browser) : ConsoleBrowserTest(browser)
{
    protected override async Task SeedAsync()
    {
        App.DeadLetters.Add(ConsoleApp.Change("evt-r1", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-r1");
        await App.DeliverAsync(ConsoleApp.Removal("evt-h1", ConsoleApp.OtherMemberId)); // counted
        await App.DeliverAsync(ConsoleApp.Removal("evt-h2", MemberId)); // over Guard:MaxPerWindow 1: held
    }

    [Fact]
    public async Task A_reader_sees_the_pages_without_action_buttons_and_a_forged_action_is_403()
    {
        var page = await App.OpenAsync(Browser, "#dead-letters", [OperatorRoles.Reader]);
        await Expect(page.Locator("#who")).ToContainTextAsync("read-only");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Messages of RoleNotFound in {OrgId}" }).ClickAsync();
        await Expect(page.Locator("#dead-letter-messages article")).ToHaveCountAsync(1);
        Assert.Equal(["Messages"], await page.Locator("main button").AllTextContentsAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Holds" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = OrgId })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("evt-h2");
        Assert.Equal(0, await page.Locator("main button").CountAsync());

        var replay = await page.EvaluateAsync<int>("""
            async () => (await fetch('/api/dead-letters/replay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sequenceNumbers: [1] }) })).status
            """);
        var approve = await page.EvaluateAsync<int>($"async () => (await fetch('/api/holds/{OrgId}/approve', {{ method: 'POST' }})).status");
        Assert.Equal((403, 403), (replay, approve));
        Assert.Empty(App.DeadLetters.Sent);
        Assert.Equal([1L], App.DeadLetters.Remaining);
        Assert.Equal(1, Assert.Single(await App.Host.Services.GetRequiredService<GuardHolds>().ListAsync()).Count);
        // Refused before the function ran, and each refusal audited as "refused", naming the Reader who tried.
        Assert.Equal([("ReplayDeadLetters", "refused", 403), ("ApproveHolds", "refused", 403)],
            App.Audit.Records.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (r.FunctionName, r.Status, r.StatusCode ?? 0)));
        Assert.All(App.Audit.Records, r => Assert.Equal(TestPrincipals.AliceOid, r.PrincipalObjectId));
    }

    [Fact]
    public async Task An_operator_approves_an_organization_s_holds()
    {
        var page = await App.OpenAsync(Browser, "#holds", [OperatorRoles.Operator]);
        await Expect(page.Locator("main")).ToContainTextAsync("evt-h2");
        await BrowserFixture.ScreenshotAsync(page, "holds");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Approve {OrgId}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm approve" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("approved: 1 changes");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("evt-h2");
        Assert.Empty(await App.Host.Services.GetRequiredService<GuardHolds>().ListAsync());
        Assert.Contains(App.Audit.Records, r => r.FunctionName == ApproveHoldsFunction.Name && r.StatusCode == 200);
    }

    [Fact]
    public async Task Verify_of_a_removed_member_who_reappeared_in_Clerk_offers_an_operator_the_repair_a_removal()
    {
        App.Clerk.AddMember(OrgId, ConsoleApp.OtherMemberId, "org:member"); // evt-h1 removed them; back behind RoleSync's back
        var page = await App.OpenAsync(Browser, "#membership", [OperatorRoles.Operator]);
        await page.GetByLabel("Organization id").FillAsync(OrgId);
        await page.GetByLabel("Value").FillAsync(ConsoleApp.OtherMemberId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        await Expect(page.Locator("#verify-result")).ToContainTextAsync("Verify: drift");
        await Expect(page.Locator("#verify-result dd").Nth(0)).ToHaveTextAsync("not a member");

        await page.GetByRole(AriaRole.Button, new() { Name = "Repair: remove from the organization" }).ClickAsync();

        await Expect(page.Locator("#verify-result")).ToContainTextAsync("Submitted: queued");
        var body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(App.Queue.Sent).Body.ToString())!;
        Assert.Equal(("remove", ConsoleApp.OtherMemberId, null), (body["action"]?.GetValue<string>(), body["userId"]!.GetValue<string>(), body["role"]));
    }

    [Fact]
    public async Task The_keyboard_focus_ring_has_at_least_3_to_1_contrast_against_the_header_and_the_page()
    {
        var page = await App.OpenAsync(Browser, "#overview", [OperatorRoles.Reader]);
        await page.Keyboard.PressAsync("Tab"); // the skip link
        await page.Keyboard.PressAsync("Tab"); // the first page link, on the header's background
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Overview" })).ToBeFocusedAsync();

        var contrasts = await page.EvaluateAsync<double[]>("""
            () => {
              const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
              const lum = (c) => rgb(c).map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
              const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
              const ring = getComputedStyle(document.activeElement).outlineColor;
              return [ratio(ring, getComputedStyle(document.querySelector('header')).backgroundColor), ratio(ring, getComputedStyle(document.body).backgroundColor)];
            }
            """);

        Assert.All(contrasts, c => Assert.True(c >= 3, $"focus ring contrast {c:F2}:1"));
    }

    [Fact]
    public async Task Another_site_cannot_use_an_operator_s_session_to_approve()
    {
        var page = await App.OpenAsync(Browser, "#holds", [OperatorRoles.Operator]); // the context carries the session (as the cookie would)
        await page.GotoAsync("about:blank"); // another site's page: a form posting to the app, the classic CSRF
        await page.SetContentAsync($"<form method=\"post\" action=\"{App.Host.BaseUrl}api/holds/{OrgId}/approve\"></form>");

        var response = await page.RunAndWaitForResponseAsync(() => page.EvalOnSelectorAsync("form", "form => form.submit()"), r => r.Url.EndsWith("/approve", StringComparison.Ordinal));

        Assert.Equal(403, response.Status);

        Assert.Equal(1, Assert.Single(await App.Host.Services.GetRequiredService<GuardHolds>().ListAsync()).Count);
        var refused = Assert.Single(App.Audit.Records); // the forged approval did not run; its refusal is audited
        Assert.Equal(("ApproveHolds", "refused", 403), (refused.FunctionName, refused.Status, refused.StatusCode ?? 0));
        Assert.Contains("Cross-site request", refused.Result, StringComparison.Ordinal);
        Assert.Contains(App.Host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Message.Contains("Sec-Fetch-Site: cross-site", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_session_is_gone_the_API_answers_401_and_the_page_offers_the_sign_in_link()
    {
        var page = await App.OpenAsync(Browser, "#overview", [OperatorRoles.Reader]);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft Entra ID" })).ToBeHiddenAsync();

        await page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string>()); // the session expired: no principal any more
        await page.GetByRole(AriaRole.Link, new() { Name = "Holds" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft Entra ID" })).ToHaveAttributeAsync("href", "/.auth/login/aad?post_login_redirect_uri=/console");
        await Expect(page.Locator("main [role=alert]")).ToContainTextAsync("401 Not authenticated");
        Assert.Equal(401, (await page.Context.APIRequest.GetAsync("/console")).Status); // and the page itself needs the session too
    }
}
