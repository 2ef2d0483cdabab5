using RoleSync.Lifecycle;
using RoleSync.Reconcile;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Lifecycle;

/// <summary>
/// Contract 1.1 through the real processor against the Clerk sandbox: every action × identifier × outcome, ordering
/// across identifiers, removals and joiners. The ledger is in memory here and in Azurite in the last tests.
/// </summary>
public sealed class JoinersMoversLeaversTests
{
    private const string Joiner = "user_2JoinerAda0000000000000001";
    private const string MemberEmail = "Member.One@Example.com";
    private const string MemberExternal = "WD-1002";

    private static readonly Dictionary<string, string?> CreateMissing = new() { ["Membership:CreateMissing"] = "true" };

    private static async Task<RoleSyncHarness> StartAsync(IDictionary<string, string?>? settings = null, IMembershipLedger? ledger = null)
    {
        var h = await RoleSyncHarness.StartAsync(settings: settings, ledger: ledger);
        h.Clerk.AddUser(MemberId, MemberExternal, MemberEmail);
        h.Clerk.AddUser(Joiner, "WD-2001", "ada@example.com");
        return h;
    }

    /// <summary>The user named by userId, externalId or emailAddress (the email in another case than Clerk's).</summary>
    private static string For(string identifier, string user, string eventId, DateTimeOffset? at = null, string? role = "org:admin", string? action = null, bool cloudEvent = false)
    {
        var (external, email) = user == MemberId ? (MemberExternal, MemberEmail.ToUpperInvariant()) : ("WD-2001", "ADA@example.com");
        return identifier switch
        {
            "userId" => Message(eventId, at, userId: user, role: role, action: action, cloudEvent: cloudEvent),
            "externalId" => Message(eventId, at, externalId: external, role: role, action: action, cloudEvent: cloudEvent),
            _ => Message(eventId, at, emailAddress: email, role: role, action: action, cloudEvent: cloudEvent),
        };
    }

    public static TheoryData<string, bool> Identifiers => new()
    {
        { "userId", false }, { "externalId", false }, { "emailAddress", false },
        { "userId", true }, { "externalId", true }, { "emailAddress", true },
    };

    [Theory]
    [MemberData(nameof(Identifiers))]
    public async Task A_mover_is_applied_by_any_identifier(string identifier, bool cloudEvent)
    {
        await using var h = await StartAsync();

        var result = await h.Processor.ProcessAsync(Bytes(For(identifier, MemberId, "evt-1", role: "org:billing", cloudEvent: cloudEvent)));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal(MemberId, result.Change!.UserId);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        var record = await h.Ledger.GetAsync(OrgId, MemberId);
        Assert.Equal("evt-1", record!.AppliedEventId);
        Assert.Equal(identifier == "externalId" ? MemberExternal : null, record.ExternalId);
        Assert.Equal(identifier == "emailAddress" ? MemberEmail.ToLowerInvariant() : null, record.EmailAddress);
    }

    [Theory]
    [MemberData(nameof(Identifiers))]
    public async Task A_leaver_is_removed_by_any_identifier_and_removing_again_is_applied(string identifier, bool cloudEvent)
    {
        await using var h = await StartAsync();

        var removed = await h.Processor.ProcessAsync(Bytes(For(identifier, MemberId, "evt-1", role: null, action: "remove", cloudEvent: cloudEvent)));
        var again = await h.Processor.ProcessAsync(Bytes(For(identifier, MemberId, "evt-2", BaseTime.AddMinutes(1), role: null, action: "remove", cloudEvent: cloudEvent)));

        Assert.Equal(Outcome.Applied, removed.Outcome);
        Assert.Equal(Outcome.Applied, again.Outcome);
        Assert.Contains("was not a member", again.Detail);
        Assert.Null(h.Clerk.GetRole(OrgId, MemberId));
        var record = await h.Ledger.GetAsync(OrgId, MemberId);
        Assert.Equal((RoleChangeAction.Remove, RoleChangeAction.Remove, "evt-2"), (record!.NewestAction, record.AppliedAction, record.AppliedEventId));
        Assert.Equal(2, h.Clerk.Requests.Count(r => r.Method == "DELETE"));
    }

    [Theory]
    [MemberData(nameof(Identifiers))]
    public async Task A_joiner_is_created_only_with_CreateMissing(string identifier, bool cloudEvent)
    {
        await using var without = await StartAsync();
        await using var with = await StartAsync(CreateMissing);

        var rejected = await without.Processor.ProcessAsync(Bytes(For(identifier, Joiner, "evt-1", role: "org:member", cloudEvent: cloudEvent)));
        var created = await with.Processor.ProcessAsync(Bytes(For(identifier, Joiner, "evt-1", role: "org:member", cloudEvent: cloudEvent)));

        Assert.Equal((Outcome.Rejected, Reasons.MembershipNotFound), (rejected.Outcome, rejected.Reason));
        Assert.Null(without.Clerk.GetRole(OrgId, Joiner));
        Assert.Equal(Outcome.Applied, created.Outcome);
        Assert.Equal("org:member", with.Clerk.GetRole(OrgId, Joiner));
        Assert.Equal(["PATCH", "POST"], with.Clerk.Requests.Where(r => r.Method != "GET").Select(r => r.Method));
    }

    [Theory]
    [InlineData("externalId")]
    [InlineData("emailAddress")]
    public async Task An_unknown_user_is_rejected_UserNotFound_for_either_action(string identifier)
    {
        await using var h = await StartAsync(CreateMissing);
        string Unknown(string eventId, string? role, string? action) => identifier == "externalId"
            ? Message(eventId, externalId: "WD-404", role: role, action: action)
            : Message(eventId, emailAddress: "nobody@example.com", role: role, action: action);

        var set = await h.Processor.ProcessAsync(Bytes(Unknown("evt-1", "org:member", null)));
        var remove = await h.Processor.ProcessAsync(Bytes(Unknown("evt-2", null, "remove")));

        Assert.Equal((Outcome.Rejected, Reasons.UserNotFound), (set.Outcome, set.Reason));
        Assert.Equal((Outcome.Rejected, Reasons.UserNotFound), (remove.Outcome, remove.Reason));
        Assert.DoesNotContain("nobody@example.com", set.Detail);
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Two_users_with_one_email_are_ambiguous_and_the_detail_lists_their_ids_not_the_emails()
    {
        await using var h = await StartAsync();
        h.Clerk.AddUser("user_2Twin0000000000000000000001", null, "twin@example.com");
        h.Clerk.AddUser("user_2Twin0000000000000000000002", null, "Twin@Example.com");

        var result = await h.Processor.ProcessAsync(Bytes(Message("evt-1", emailAddress: "twin@example.com", action: "remove", role: null)));

        Assert.Equal((Outcome.Rejected, Reasons.AmbiguousUser), (result.Outcome, result.Reason));
        Assert.Contains("user_2Twin0000000000000000000001", result.Detail);
        Assert.Contains("user_2Twin0000000000000000000002", result.Detail);
        Assert.DoesNotContain("@", result.Detail);
    }

    [Fact]
    public async Task A_failed_lookup_is_transient_and_writes_nothing()
    {
        await using var h = await StartAsync(new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        h.Clerk.FailNext(1, 503);

        var result = await h.Processor.ProcessAsync(Bytes(Message("evt-1", emailAddress: MemberEmail, role: "org:billing")));

        Assert.Equal((Outcome.Transient, Reasons.ClerkUnavailable), (result.Outcome, result.Reason));
        Assert.Null(await h.Ledger.GetAsync(OrgId, MemberId));
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task The_last_admin_is_not_removed_and_a_full_organization_takes_no_joiner()
    {
        await using var h = await StartAsync(CreateMissing);
        h.Clerk.SetMaxMembers(OrgId, 2);

        var lastAdmin = await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: AdminId, role: null, action: "remove")));
        var full = await h.Processor.ProcessAsync(Bytes(Message("evt-2", emailAddress: "ada@example.com", role: "org:member")));

        Assert.Equal((Outcome.Rejected, Reasons.LastAdmin), (lastAdmin.Outcome, lastAdmin.Reason));
        Assert.Contains("cannot be removed", lastAdmin.Detail);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, AdminId));
        Assert.Equal((Outcome.Rejected, Reasons.MembershipQuotaExceeded), (full.Outcome, full.Reason));
        Assert.Null(h.Clerk.GetRole(OrgId, Joiner));
    }

    [Fact]
    public async Task Messages_by_email_and_by_user_id_for_one_person_are_ordered_together()
    {
        await using var h = await StartAsync();

        var newer = await h.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(2), emailAddress: MemberEmail, role: "org:billing")));
        var older = await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, userId: MemberId, role: "org:admin")));
        var olderByExternal = await h.Processor.ProcessAsync(Bytes(Message("evt-0", BaseTime.AddMinutes(-1), externalId: MemberExternal, role: "org:admin")));

        Assert.Equal(Outcome.Applied, newer.Outcome);
        Assert.Equal(Outcome.Stale, older.Outcome);
        Assert.Equal(Outcome.Stale, olderByExternal.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Single(await h.Ledger.ListAsync(OrgId).Where(r => r.UserId == MemberId).ToListAsync());
    }

    [Fact]
    public async Task An_older_set_role_after_a_remove_is_stale_and_does_not_add_the_person_back()
    {
        await using var h = await StartAsync(CreateMissing);

        var removed = await h.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(2), externalId: MemberExternal, role: null, action: "remove")));
        var late = await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime.AddMinutes(1), emailAddress: MemberEmail, role: "org:billing")));

        Assert.Equal(Outcome.Applied, removed.Outcome);
        Assert.Equal(Outcome.Stale, late.Outcome);
        Assert.Contains("(remove)", late.Detail);
        Assert.Null(h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_newer_set_role_after_a_remove_re_creates_only_with_CreateMissing()
    {
        await using var without = await StartAsync();
        await using var with = await StartAsync(CreateMissing);
        foreach (var h in new[] { without, with })
        {
            Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, userId: MemberId, role: null, action: "remove")))).Outcome);
        }

        var rejected = await without.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(1), userId: MemberId, role: "org:member")));
        var recreated = await with.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(1), userId: MemberId, role: "org:member")));

        Assert.Equal((Outcome.Rejected, Reasons.MembershipNotFound), (rejected.Outcome, rejected.Reason));
        Assert.Null(without.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(Outcome.Applied, recreated.Outcome);
        Assert.Equal("org:member", with.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_member_created_meanwhile_is_patched_instead()
    {
        await using var h = await StartAsync(CreateMissing);
        h.Clerk.FailNext(1, 404); // the PATCH sees no membership (as if it was created just after): POST answers already a member

        var result = await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: MemberId, role: "org:billing")));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(["PATCH", "POST", "PATCH"], h.Clerk.Requests.Where(r => r.Method != "GET").Select(r => r.Method));
    }

    [Fact]
    public async Task The_next_message_for_the_same_person_costs_no_lookup_from_the_cache_or_from_the_ledger()
    {
        await using var h = await StartAsync();

        await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, emailAddress: MemberEmail, role: "org:billing")));
        await h.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(1), emailAddress: MemberEmail.ToLowerInvariant(), role: "org:admin")));
        using var cold = new UserResolver(h.ClerkClient, h.Ledger, Options.Create(new UserResolutionOptions()), TimeProvider.System);
        var fromLedger = await cold.ResolveAsync(RoleChangeParser.Parse(Bytes(Message("evt-3", BaseTime.AddMinutes(2), emailAddress: MemberEmail, role: "org:member")).Span, BaseTime.AddHours(1)).Change!);
        var lookupsBefore = h.Clerk.Requests.Count(r => r.Path == "/v1/users");
        using var expired = new UserResolver(h.ClerkClient, h.Ledger, Options.Create(new UserResolutionOptions { CacheDuration = TimeSpan.Zero }), TimeProvider.System);
        var asked = await expired.ResolveAsync(RoleChangeParser.Parse(Bytes(Message("evt-3", BaseTime.AddMinutes(2), emailAddress: MemberEmail, role: "org:member")).Span, BaseTime.AddHours(1)).Change!);

        Assert.Equal(1, lookupsBefore); // the second message and the cold resolver asked no one
        Assert.Equal(MemberId, fromLedger.Change!.UserId);
        Assert.Equal(0, cold.Lookups);
        Assert.Equal(MemberId, asked.Change!.UserId);
        Assert.Equal(1, expired.Lookups);
    }

    [Fact]
    public async Task Dry_run_shows_would_create_would_remove_would_apply_unchanged_and_not_found()
    {
        await using var h = await StartAsync(CreateMissing);
        RoleChange Parse(string json) => RoleChangeParser.Parse(Bytes(json).Span, BaseTime.AddHours(1)).Change!;

        var create = await h.Processor.PlanAsync(Parse(Message("evt-1", emailAddress: "ada@example.com", role: "org:member")));
        var remove = await h.Processor.PlanAsync(Parse(Message("evt-2", externalId: MemberExternal, role: null, action: "remove")));
        var apply = await h.Processor.PlanAsync(Parse(Message("evt-3", userId: MemberId, role: "org:billing")));
        var unchanged = await h.Processor.PlanAsync(Parse(Message("evt-4", userId: MemberId, role: "org:member")));
        var absent = await h.Processor.PlanAsync(Parse(Message("evt-5", userId: Joiner, role: null, action: "remove")));
        var nobody = await h.Processor.PlanAsync(Parse(Message("evt-6", externalId: "WD-404", role: "org:member")));

        Assert.Equal(
            [Outcome.WouldCreate, Outcome.WouldRemove, Outcome.WouldApply, Outcome.Unchanged, Outcome.Unchanged, Outcome.NotFound],
            new[] { create, remove, apply, unchanged, absent, nobody }.Select(r => r.Outcome));
        Assert.Equal(Reasons.UserNotFound, nobody.Reason);
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Empty(await h.Ledger.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task A_removed_membership_that_reappears_is_drift_and_repair_removes_it_again()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Message("evt-1", userId: MemberId, role: null, action: "remove")));
        h.Clerk.AddMember(OrgId, MemberId, "org:member"); // added back behind RoleSync's back
        var reconciler = h.Services.GetRequiredService<Reconciler>();

        var report = new List<ReconcileItem>();
        await reconciler.RunAsync(ReconcileMode.Report, OrgId, i => { report.Add(i); return Task.CompletedTask; });
        var repair = new List<ReconcileItem>();
        await reconciler.RunAsync(ReconcileMode.Repair, OrgId, i => { repair.Add(i); return Task.CompletedTask; });

        Assert.Equal(VerifyStatus.Drift, report.Single(i => i.UserId == MemberId).Status);
        Assert.Equal(VerifyStatus.Repaired, repair.Single(i => i.UserId == MemberId).Status);
        Assert.Null(h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task Azurite_ledger_keeps_removals_and_resolutions_and_reads_rows_written_before_1_1()
    {
        var table = new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("jml"));
        var ledger = new TableMembershipLedger(table);
        await using var h = await StartAsync(CreateMissing, ledger);

        var joined = await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, emailAddress: "ada@example.com", role: "org:member")));
        var left = await h.Processor.ProcessAsync(Bytes(Message("evt-2", BaseTime.AddMinutes(1), externalId: "WD-2001", role: null, action: "remove")));
        var stale = await h.Processor.ProcessAsync(Bytes(Message("evt-0", BaseTime.AddMinutes(-1), userId: Joiner, role: "org:admin")));
        await table.AddEntityAsync(new TableEntity(OrgId, "user_2OldRow000000000000000000001")
        {
            ["NewestEventId"] = "evt-old", ["NewestOccurredAt"] = BaseTime, ["NewestRole"] = "org:member", ["NewestRecordedAt"] = BaseTime,
            ["AppliedEventId"] = "evt-old", ["AppliedRole"] = "org:member",
        });

        var record = await ledger.GetAsync(OrgId, Joiner);
        var old = await ledger.GetAsync(OrgId, "user_2OldRow000000000000000000001");
        var byExternal = await ledger.FindByIdentifierAsync(OrgId, "WD-2001", null);
        var byEmail = await ledger.FindByIdentifierAsync(OrgId, null, "ADA@example.com");

        Assert.Equal([Outcome.Applied, Outcome.Applied, Outcome.Stale], new[] { joined, left, stale }.Select(r => r.Outcome));
        Assert.Null(h.Clerk.GetRole(OrgId, Joiner));
        Assert.Equal((RoleChangeAction.Remove, RoleChangeAction.Remove, "WD-2001", "ada@example.com"), (record!.NewestAction, record.AppliedAction, record.ExternalId, record.EmailAddress));
        Assert.NotNull(record.UserResolvedAt);
        Assert.Equal((RoleChangeAction.SetRole, RoleChangeAction.SetRole, "org:member"), (old!.NewestAction, old.AppliedAction, DesiredRole.Of(old)!.Role));
        Assert.Equal(Joiner, byExternal?.UserId);
        Assert.Equal(Joiner, byEmail?.UserId);
    }
}
