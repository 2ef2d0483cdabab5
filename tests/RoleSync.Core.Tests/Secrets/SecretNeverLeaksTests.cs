using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Secrets;

public sealed class SecretNeverLeaksTests
{
    [Fact]
    public async Task The_secret_appears_in_no_log_line_and_no_result_at_any_log_level()
    {
        await using var h = await StartAsync(useKeyVault: true);
        h.Clerk.AddMember(OrgId, "user_scim1", "org:member", managedByDirectory: true);
        var results = new List<ProcessingResult>
        {
            await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing"))),
            await h.Processor.ProcessAsync(Bytes(Plain("evt-2", userId: "user_nope"))),
            await h.Processor.ProcessAsync(Bytes(Plain("evt-3", role: "org:ghost", userId: AdminId))),
            await h.Processor.ProcessAsync(Bytes(Plain("evt-4", userId: "user_scim1"))),
        };
        h.Clerk.FailNext(10, 500);
        results.Add(await h.Processor.ProcessAsync(Bytes(Plain("evt-5", BaseTime.AddMinutes(1), role: "org:admin"))));
        h.Clerk.SetSecretKeys("sk_test_other_fake_key");
        results.Add(await h.Processor.ProcessAsync(Bytes(Plain("evt-6", BaseTime.AddMinutes(2), role: "org:member"))));

        var logs = h.AllLogText();
        Assert.NotEmpty(h.Logs.GetSnapshot()); // the harness captures every level, so the checks below mean something
        Assert.DoesNotContain(SecretKey, logs);
        Assert.All(results.Where(r => r.Reason != Reasons.InvalidMessage), r => Assert.DoesNotContain(SecretKey, r.Detail ?? ""));
        Assert.All(results, r => Assert.DoesNotContain(SecretKey, r.ToString()));
    }

    [Fact]
    public void A_secret_object_never_prints_its_value()
    {
        var secret = new ClerkSecret("sk_live_fake_secret_for_tostring_test");
        Assert.Equal("sk_live_***", secret.ToString());
        Assert.Equal("sk_live_***", $"{secret}");
        Assert.True(secret.IsLive);
    }
}
