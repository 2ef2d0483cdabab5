using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// The overview and membership pages in headless Chromium over history the real message handler wrote (Clerk sandbox
/// behind it): the counts appear; a membership found by id shows its timeline; "verify now" shows drift made behind
/// RoleSync's back and an Operator's repair submits the desired role through POST /api/role-changes.
/// </summary>
public sealed class ConsoleMembershipTests(BrowserFixture browser) : ConsoleBrowserTest(browser)
{
    protected override async Task SeedAsync()
    {
        await App.DeliverAsync(ConsoleApp.Change("evt-m1", "org:admin")); // applied
        await App.DeliverAsync(ConsoleApp.Change("evt-m2", "org:billing")); // newer: applied (a demotion from admin: the guard counts it)
        await App.DeliverAsync(Plain("evt-x1", DateTimeOffset.UtcNow.AddSeconds(-1), userId: AdminId, role: "org:ghost")); // rejected: no such role
        await App.DeliverAsync(ConsoleApp.Removal("evt-h1", ConsoleApp.OtherMemberId)); // over Guard:MaxPerWindow 1: held
        await App.DeliverAsync(ConsoleApp.Removal("evt-h2", AdminId)); // held
        App.DeadLetters.Add(ConsoleApp.Change("evt-d1", "org:ghost"), "RoleNotFound");
        App.DeadLetters.Add(ConsoleApp.Change("evt-d2", "org:ghost"), "RoleNotFound");
    }

    [Fact]
    public async Task The_overview_shows_the_counts_of_the_history_the_holds_and_the_dead_letters()
    {
        var page = await App.OpenAsync(Browser, "#overview", [OperatorRoles.Reader]);

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Messages by outcome" });
        ILocator Row(string outcome) => table.Locator("tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = outcome, Exact = true }) });
        await Expect(Row("applied")).ToHaveTextAsync("applied22");
        await Expect(Row("rejected")).ToHaveTextAsync("rejected11");
        await Expect(Row("processed")).ToHaveTextAsync("processed33");
        await Expect(Row("held")).ToHaveTextAsync("held22");
        await Expect(page.Locator("#overview-holds dd")).ToHaveTextAsync(["1", "2"]);
        await Expect(page.Locator("#overview-dead-letters dd")).ToHaveTextAsync("2");
        await Expect(page.Locator("#overview-quarantine dd").First).ToHaveTextAsync("not active");
        await Expect(page.Locator("#overview-budget dd").First).ToHaveTextAsync("100000");
        await BrowserFixture.ScreenshotAsync(page, "overview");

        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Membership" })).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the page scrolls sideways at 390 px");
        await BrowserFixture.ScreenshotAsync(page, "overview-phone");
    }

    [Fact]
    public async Task A_membership_shows_its_timeline_and_verify_shows_drift_that_an_operator_repairs()
    {
        var page = await App.OpenAsync(Browser, "#membership", [OperatorRoles.Operator]);
        await page.GetByLabel("Organization id").FillAsync(OrgId);
        await page.GetByLabel("Find by").SelectOptionAsync("userId");
        await page.GetByLabel("Value").FillAsync(MemberId);
        await page.GetByLabel("Value").PressAsync("Enter"); // the keyboard submits the search

        var timeline = page.GetByRole(AriaRole.List, new() { Name = "History, newest first" });
        await Expect(timeline.Locator("> li")).ToHaveCountAsync(2);
        await Expect(timeline.Locator("> li").First).ToContainTextAsync("applied org:billing");
        await Expect(timeline.Locator("> li").First).ToContainTextAsync("evt-m2");
        await Expect(timeline.Locator("> li").First).ToContainTextAsync("queue");
        await Expect(page.Locator("#membership-result")).ToContainTextAsync("RoleSync has a record of this membership");

        App.Clerk.AddMember(OrgId, MemberId, "org:member"); // drift behind RoleSync's back
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        var verify = page.Locator("#verify-result");
        await Expect(verify).ToContainTextAsync("Verify: drift");
        await Expect(verify.Locator("dd").Nth(0)).ToHaveTextAsync("org:billing");
        await Expect(verify.Locator("dd").Nth(1)).ToHaveTextAsync("org:member");
        Assert.Equal("org:member", App.Clerk.GetRole(OrgId, MemberId)); // verify wrote nothing
        await BrowserFixture.ScreenshotAsync(page, "membership");

        await page.GetByRole(AriaRole.Button, new() { Name = "Repair: submit org:billing" }).ClickAsync();
        await Expect(verify).ToContainTextAsync("Submitted: queued");
        var sent = Assert.Single(App.Queue.Sent);
        var body = JsonNode.Parse(sent.Body.ToString())!;
        Assert.Equal(("org:billing", "rolesync-console", MemberId), (body["role"]!.GetValue<string>(), body["source"]!.GetValue<string>(), body["userId"]!.GetValue<string>()));
        Assert.Contains(App.Audit.Records, r => r.FunctionName == SubmitRoleChangeFunction.Name && r.StatusCode == 202);
    }

    [Fact]
    public async Task A_lookup_that_finds_nobody_shows_the_API_s_problem()
    {
        var page = await App.OpenAsync(Browser, "#membership", [OperatorRoles.Reader]);
        await page.GetByLabel("Organization id").FillAsync(OrgId);
        await page.GetByLabel("Find by").SelectOptionAsync("userId");
        await page.GetByLabel("Value").FillAsync("not-a-user-id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("400");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("userId");
    }
}
