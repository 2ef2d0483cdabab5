using RoleSync.Functions.OperatorConsole;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>The console's dead-letter page in headless Chromium against the HTTP functions: replay a group, edit and retry once, hostile bodies as text.</summary>
public sealed class ConsoleDeadLetterTests(BrowserFixture browser) : ConsoleBrowserTest(browser)
{
    private const string OtherOrgId = "org_2consoleOtherOrganization";
    private static readonly string[] Operator = [OperatorRoles.Operator];
    [Fact]
    public async Task An_operator_replays_a_group_and_the_queue_receives_exactly_its_messages()
    {
        var first = App.DeadLetters.Add(ConsoleApp.Change("evt-g1", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-g1");
        var second = App.DeadLetters.Add(ConsoleApp.Change("evt-g2", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-g2");
        var other = App.DeadLetters.Add(Plain("evt-o1", organizationId: OtherOrgId, role: "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-o1");
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Messages of RoleNotFound in {OrgId}" }).ClickAsync();
        await Expect(page.Locator("#dead-letter-messages article")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "dead-letters");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Replay RoleNotFound in {OrgId}" }).ClickAsync();
        await Expect(page.GetByText("Dry run: 2 dead letters would be sent back to the queue")).ToBeVisibleAsync();
        Assert.Empty(App.DeadLetters.Sent); // the dry run sent nothing
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: replay 2 dead letters" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Replayed 2 of 2");
        Assert.Equal(["msg-g1", "msg-g2"], App.DeadLetters.Sent.Select(m => (string)m.ApplicationProperties[MessageProperties.ReplayedFrom]).Order());
        Assert.Equal([other], App.DeadLetters.Remaining);
        Assert.Contains(App.Audit.Records, r => r.FunctionName == ReplayDeadLettersFunction.Name);
        Assert.DoesNotContain(first, App.DeadLetters.Remaining);
        Assert.DoesNotContain(second, App.DeadLetters.Remaining);
    }

    [Fact]
    public async Task The_messages_of_a_group_without_a_reason_are_only_those_without_a_reason()
    {
        App.DeadLetters.Add(ConsoleApp.Change("evt-n1", "org:ghost"), reason: null, "dead-lettered without a reason", "msg-n1");
        App.DeadLetters.Add(ConsoleApp.Change("evt-n2", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-n2");
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Messages of (no reason) in {OrgId}" }).ClickAsync();

        await Expect(page.Locator("#dead-letter-messages h3")).ToHaveTextAsync($"Dead letters: (no reason) in {OrgId}");
        await Expect(page.Locator("#dead-letter-messages article")).ToHaveCountAsync(1);
        await Expect(page.Locator("#dead-letter-messages article")).ToContainTextAsync("msg-n1");
    }

    [Fact]
    public async Task A_group_larger_than_one_replay_says_the_dry_run_covers_only_the_first_part()
    {
        for (var i = 0; i <= ReplayDeadLettersFunction.DefaultMax; i++)
        {
            App.DeadLetters.Add(ConsoleApp.Change($"evt-b{i}", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", $"msg-b{i}");
        }
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Replay this group ({ReplayDeadLettersFunction.DefaultMax + 1})" }).ClickAsync();

        await Expect(page.GetByText($"Dry run: {ReplayDeadLettersFunction.DefaultMax} dead letters would be sent back")).ToContainTextAsync("more are left: replay the group again after this");
    }

    [Fact]
    public async Task An_edited_message_is_retried_once_and_the_second_attempt_is_refused_inline()
    {
        var sequence = App.DeadLetters.Add(ConsoleApp.Change("evt-e1", "org:ghost"), "RoleNotFound", "Clerk: role org:ghost does not exist", "msg-e1");
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Messages of RoleNotFound in {OrgId}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit and retry dead letter {sequence}" }).ClickAsync();
        var body = page.GetByLabel("Corrected role change (JSON)");
        await Expect(body).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"eventId\": \"evt-e1\""));

        await body.FillAsync(ConsoleApp.Change("evt-e1", "org:billing"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send edit and retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent again as evt-e1~edit1");
        var sent = Assert.Single(App.DeadLetters.Sent);
        Assert.Equal("evt-e1~edit1", sent.MessageId);
        Assert.Contains("org:billing", sent.Body.ToString(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Send edit and retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("409 Edited already");
        Assert.Single(App.DeadLetters.Sent);
    }

    [Fact]
    public async Task Edit_and_retry_starts_from_the_dead_letter_s_change_its_time_and_its_action()
    {
        var occurredAt = DateTimeOffset.UtcNow.AddHours(-1);
        var sequence = App.DeadLetters.Add(Message("evt-rm", occurredAt, userId: MemberId, role: null, action: "remove"), "MembershipNotFound", "Clerk: not a member", "msg-rm");
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Messages of MembershipNotFound in {OrgId}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit and retry dead letter {sequence}" }).ClickAsync();

        var template = JsonNode.Parse(await page.GetByLabel("Corrected role change (JSON)").InputValueAsync())!;
        Assert.Equal((occurredAt, "remove", false), (template["occurredAt"]!.GetValue<DateTimeOffset>(), template["action"]?.GetValue<string>(), template.AsObject().ContainsKey("role")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send edit and retry" }).ClickAsync(); // sent as it is: the same change again
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent again as evt-rm~edit1");
        var sent = RoleSync.Contract.RoleChangeParser.Parse(Assert.Single(App.DeadLetters.Sent).Body.ToMemory().Span, DateTimeOffset.UtcNow).Change!;
        Assert.Equal((RoleSync.Contract.RoleChangeAction.Remove, occurredAt), (sent.Action, sent.OccurredAt));
    }

    [Fact]
    public async Task A_hostile_dead_letter_is_shown_as_text_and_nothing_in_it_runs()
    {
        const string script = "<script>window.__pwned=1</script>";
        const string image = "\"><img src=x onerror=\"window.__pwned=1\">";
        var hostile = Plain("evt-\\\"><img src=x onerror=\\\"window.__pwned=1\\\">", role: script);
        App.DeadLetters.Add(hostile, "InvalidMessage", $"role: {script} is not a role {image}", image);
        var page = await App.OpenAsync(Browser, "#dead-letters", Operator);
        await page.GetByRole(AriaRole.Button, new() { Name = "Messages of InvalidMessage in (no organization)" }).ClickAsync();

        var item = page.Locator("#dead-letter-messages article");
        await Expect(item.Locator("dd").First).ToHaveTextAsync(image); // the message id, character for character
        await Expect(item).ToContainTextAsync($"role: {script} is not a role {image}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal(["/console/console.js"], await page.EvaluateAsync<string[]>("() => [...document.scripts].map(s => new URL(s.src).pathname)"));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit and retry dead letter 1" }).ClickAsync();
        Assert.Equal(0, await page.Locator("img").CountAsync());
    }

    [Fact]
    public async Task The_served_files_carry_no_inline_code_and_every_answer_the_CSP()
    {
        var page = await App.OpenAsync(Browser, "", Operator);
        foreach (var (path, type) in new[] { ("/console", "text/html"), ("/console/console.js", "text/javascript"), ("/console/console.css", "text/css") })
        {
            var response = await page.Context.APIRequest.GetAsync(path);
            Assert.Equal(200, response.Status);
            Assert.StartsWith(type, response.Headers["content-type"], StringComparison.Ordinal);
            Assert.Equal(ConsoleFunction.ContentSecurityPolicy, response.Headers["content-security-policy"]);
            Assert.DoesNotContain("unsafe-inline", response.Headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal(("nosniff", "no-referrer"), (response.Headers["x-content-type-options"], response.Headers["referrer-policy"]));
            var body = await response.TextAsync();
            if (type == "text/html")
            {
                Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", body); // no inline script
                Assert.DoesNotMatch(@"\son[a-z]+\s*=", body); // no event handler attributes
                Assert.DoesNotMatch(@"\sstyle\s*=|<style", body); // no inline style
            }
            if (type == "text/javascript")
            {
                Assert.DoesNotMatch(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", body);
            }
        }
        var missing = await page.Context.APIRequest.GetAsync("/console/nope.js");
        Assert.Equal((404, ConsoleFunction.ContentSecurityPolicy), (missing.Status, missing.Headers["content-security-policy"]));
    }
}
