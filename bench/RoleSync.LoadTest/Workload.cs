namespace RoleSync.LoadTest;

/// <summary>
/// The memberships and messages of a run. Measured message i changes membership i mod M (M memberships spread over
/// <see cref="Organizations"/> organizations), so with N ≤ M every membership gets one PATCH per variant and Clerk's
/// per-membership limit (10 per 10 s, enforced in the rate-limited run) never interferes. Warm-up messages use their
/// own organization. All members
/// start as org:member; messages ask for org:billing on the first pass over the memberships, org:member on the next.
/// </summary>
public static class Workload
{
    public const int Organizations = 200;
    public const string WarmupOrganization = "org_warmup";
    public const string SeedRole = "org:member";
    public static readonly string[] Roles = ["org:member", "org:billing"];

    public static string OrganizationOf(int membership, int memberships) =>
        "org_bench" + (membership % Math.Min(Organizations, memberships)).ToString("D4", CultureInfo.InvariantCulture);

    public static string UserOf(int membership) => "user_bench" + membership.ToString("D7", CultureInfo.InvariantCulture);

    public static string WarmupUserOf(int index) => "user_warm" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The role measured message <paramref name="index"/> asks for: the first pass moves everyone to org:billing.</summary>
    public static string RoleOf(int index, int memberships) => Roles[(index / memberships + 1) % 2];

    /// <summary>Seeds the sandbox with every membership a run touches.</summary>
    public static void Seed(ClerkSandbox.ClerkSandbox sandbox, int memberships, int warmup)
    {
        for (int o = 0; o < Math.Min(Organizations, memberships); o++)
        {
            sandbox.AddOrganization(OrganizationOf(o, memberships), "org:admin", "org:member", "org:billing");
        }
        for (int m = 0; m < memberships; m++)
        {
            sandbox.AddMember(OrganizationOf(m, memberships), UserOf(m), SeedRole);
        }
        sandbox.AddOrganization(WarmupOrganization, "org:admin", "org:member", "org:billing");
        for (int w = 0; w < warmup; w++)
        {
            sandbox.AddMember(WarmupOrganization, WarmupUserOf(w), SeedRole);
        }
    }

    /// <summary>One plain-form message (UTF-8 JSON), as a producer would send it.</summary>
    public static byte[] Message(string eventId, DateTimeOffset occurredAt, string organizationId, string userId, string role) =>
        Encoding.UTF8.GetBytes(
            $$"""{"eventId":"{{eventId}}","occurredAt":"{{occurredAt.ToString("O", CultureInfo.InvariantCulture)}}","organizationId":"{{organizationId}}","userId":"{{userId}}","role":"{{role}}","source":"loadtest"}""");
}

/// <summary>One message of a run: its body and, for drivers that skip parsing, what it says.</summary>
public sealed record WorkItem(byte[] Body, string OrganizationId, string UserId, string Role);

public static class WorkItems
{
    /// <summary>
    /// The measured messages: event ids unique per run, timestamps increasing by 1 µs per message and all in the past,
    /// so each is newer than anything the (fresh) ledger holds for its membership.
    /// </summary>
    public static WorkItem[] Measured(string runId, int count, int memberships, DateTimeOffset start)
    {
        var items = new WorkItem[count];
        for (int i = 0; i < count; i++)
        {
            int m = i % memberships;
            string org = Workload.OrganizationOf(m, memberships), user = Workload.UserOf(m), role = Workload.RoleOf(i, memberships);
            items[i] = new WorkItem(Workload.Message($"{runId}-{i}", start.AddTicks(i * 10L), org, user, role), org, user, role);
        }
        return items;
    }

    /// <summary>Warm-up round <paramref name="round"/>: one message per warm-up membership, each newer than the last round's.</summary>
    public static WorkItem[] Warmup(string runId, int round, int count, DateTimeOffset start)
    {
        var items = new WorkItem[count];
        for (int i = 0; i < count; i++)
        {
            string user = Workload.WarmupUserOf(i), role = Workload.Roles[(round + 1) % 2];
            items[i] = new WorkItem(Workload.Message($"{runId}-warm{round}-{i}", start.AddTicks((round * (long)count + i) * 10L), Workload.WarmupOrganization, user, role),
                Workload.WarmupOrganization, user, role);
        }
        return items;
    }
}
