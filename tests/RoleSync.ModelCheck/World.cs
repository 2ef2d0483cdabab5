namespace RoleSync.ModelCheck;

/// <summary>
/// The simulated world of one seed: 1–3 managed memberships in 1–2 organizations, 1–4 changes each (roles from
/// org:admin/org:member/org:billing, or a removal, occurredAt from a 4-second range so ties happen, broken by eventId), and the
/// producer's messages: one per change plus producer duplicates, arriving in random order over 20 virtual seconds.
/// </summary>
internal sealed class World
{
    public static readonly string[] RoleKeys = [ClerkState.AdminRole, "org:member", "org:billing"];
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    public List<Organization> Organizations { get; } = [];

    public List<Membership> Memberships { get; } = [];

    public List<Change> Changes { get; } = [];

    /// <summary>Producer messages: (lineage, arrival offset from the start).</summary>
    public List<(Lineage Lineage, TimeSpan Arrival)> Messages { get; } = [];

    public static World Generate(Random random, bool rejections, DateTimeOffset start, double removals = 0.2)
    {
        var world = new World();
        int memberships = random.Next(1, 4);
        int organizations = memberships == 1 ? 1 : random.Next(1, 3);
        var orgOf = Enumerable.Range(0, memberships).Select(_ => random.Next(organizations)).ToArray();
        for (int o = 0; o < organizations; o++)
        {
            var roles = rejections && random.NextDouble() < 0.3 ? RoleKeys.Where(r => r != "org:billing").ToArray() : RoleKeys;
            bool soleAdmin = rejections && orgOf.Count(x => x == o) == 1 && random.NextDouble() < 0.4;
            world.Organizations.Add(new Organization($"org_sim{o}", roles, soleAdmin));
        }
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        for (int m = 0; m < memberships; m++)
        {
            var org = world.Organizations[orgOf[m]];
            var initial = org.SoleAdmin ? ClerkState.AdminRole : RoleKeys[random.Next(RoleKeys.Length)];
            if (!org.Roles.Contains(initial))
            {
                initial = "org:member";
            }
            var membership = new Membership(org, $"user_sim{m}", initial);
            world.Memberships.Add(membership);
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                string eventId;
                do
                {
                    eventId = "evt-" + new string(Enumerable.Range(0, 3).Select(_ => Letters[random.Next(Letters.Length)]).ToArray());
                }
                while (!eventIds.Add(eventId));
                // One change in five is a removal (contract 1.1; more with the bulk-change guard, so that its holds happen);
                // a later set-role creates the membership again.
                var role = random.NextDouble() < removals ? Change.Remove : RoleKeys[random.Next(RoleKeys.Length)];
                var change = new Change(world.Changes.Count, membership, eventId, start.AddHours(-1).AddSeconds(random.Next(4)), role);
                membership.Changes.Add(change);
                world.Changes.Add(change);
            }
        }
        foreach (var change in world.Changes)
        {
            world.Messages.Add((new Lineage("original", change), TimeSpan.FromMilliseconds(random.Next(20_000))));
            for (int d = 1; d <= 2 && random.NextDouble() < 0.3; d++)
            {
                world.Messages.Add((new Lineage($"duplicate {d}", change), TimeSpan.FromMilliseconds(random.Next(20_000))));
            }
        }
        return world;
    }

    public override string ToString() =>
        string.Join("; ", Organizations.Select(o => $"{o.Id}{(o.SoleAdmin ? " sole-admin" : " +keeper")} roles {string.Join(",", o.Roles)}"))
        + " | " + string.Join("; ", Memberships.Select(m => $"{m} starts {m.InitialRole}: {string.Join(" ", m.Changes)}"));
}
