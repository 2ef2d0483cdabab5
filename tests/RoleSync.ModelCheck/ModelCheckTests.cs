using RoleSync.Clerk;
using Xunit.Abstractions;

namespace RoleSync.ModelCheck;

/// <summary>
/// The fault-injecting model check of issue 12 (§3): many seeds of a deterministic simulation driving the real
/// RoleChangeProcessor. A failure prints its seed, a command that replays exactly it, and the trace of the run.
/// </summary>
public sealed class ModelCheckTests(ITestOutputHelper output, ModelCheckReport figures) : IClassFixture<ModelCheckReport>
{
    /// <summary>Seeds per CI run (ROLESYNC_SEEDS overrides it).</summary>
    private const int Seeds = 5000;

    /// <summary>A seed gives the same trace every time: alone on a new host, and after other seeds on a reused one.</summary>
    [Fact]
    public void The_same_seed_gives_the_same_trace()
    {
        int[] seeds = [1, 7, 42, 1234, 99, 300];
        var batch = ModelCheckRunner.RunTraced(seeds, ModelCheckProfiles.All);
        var again = ModelCheckRunner.RunTraced(seeds.Reverse(), ModelCheckProfiles.All);
        Assert.True(batch.Sum(r => r.Trace.Split('\n').Length) > 200, "the traces are too short to show anything");
        foreach (var (seed, first) in seeds.Zip(batch))
        {
            var alone = ModelCheckRunner.RunOne(seed, ModelCheckProfiles.All);
            Assert.Equal(alone.Trace, first.Trace);
            Assert.Equal(alone.Trace, again.Single(r => r.Seed == seed).Trace);
            Assert.Equal(alone.Counts.ToString(), first.Counts.ToString());
        }
    }

    [Fact]
    public void The_current_processor_converges_under_the_faults_it_handles() => RunProfile(ModelCheckProfiles.Handled);

    [Fact]
    public void Converges_under_every_fault() => RunProfile(ModelCheckProfiles.All);

    /// <summary>The check has teeth: a reconcile step that leaves a wrong role in Clerk is caught, with its seed.</summary>
    [Fact]
    public void A_wrong_role_left_in_Clerk_is_caught()
    {
        var sabotage = ModelCheckProfiles.NoFaults with
        {
            Name = "sabotage",
            Reconcile = context =>
            {
                var (org, user) = context.Memberships[0];
                return SetRoleAsync((ClerkClient)context.Services.GetService(typeof(ClerkClient))!, org, user, context.CancellationToken);
            },
        };
        var (report, failing, _) = ModelCheckRunner.Run(sabotage, 1, 50, maxFailures: 1);
        output.WriteLine(report);
        Assert.NotEmpty(failing);
        Assert.Contains("replay: ROLESYNC_SEED=", report, StringComparison.Ordinal);
        Assert.Contains("Clerk holds", report, StringComparison.Ordinal);
    }

    /// <summary>A run blocked on something the simulation does not drive (here real time) is reported with its seed, not hung.</summary>
    [Fact]
    public void A_run_blocked_outside_the_simulation_is_reported()
    {
        var blocked = ModelCheckProfiles.NoFaults with { Name = "blocked", Reconcile = context => Task.Delay(TimeSpan.FromHours(1), context.CancellationToken) };
        var result = ModelCheckRunner.RunOne(3, blocked);
        Assert.Contains(result.Violations, v => v.Contains("stuck", StringComparison.Ordinal));
    }

    /// <summary>
    /// Replays one seed with its trace: ROLESYNC_SEED (default 1) of ROLESYNC_PROFILE (default handled), as the command a
    /// failure prints. Without the variables it is one more seed of the handled profile.
    /// </summary>
    [Fact]
    public void Replay_one_seed()
    {
        var seed = ModelCheckRunner.EnvironmentInt(ModelCheckRunner.SeedVariable) ?? 1;
        var options = ModelCheckProfiles.Named(Environment.GetEnvironmentVariable(ModelCheckRunner.ProfileVariable) is { Length: > 0 } name ? name : "handled");
        var result = ModelCheckRunner.RunOne(seed, options);
        output.WriteLine($"seed {seed}, profile {options.Name}\nfaults: {result.Counts}\n{result.Trace}");
        Assert.True(result.Holds, $"seed {seed} ({options.Name}): {string.Join(" | ", result.Violations)}\nreplay: {ModelCheckRunner.ReplayCommand(seed, options)}");
    }

    private void RunProfile(ModelCheckOptions options)
    {
        int first = ModelCheckRunner.EnvironmentInt(ModelCheckRunner.SeedVariable) ?? 1;
        int count = ModelCheckRunner.EnvironmentInt(ModelCheckRunner.SeedsVariable) ?? Seeds;
        var (report, failing, totals) = ModelCheckRunner.Run(options, first, count);
        output.WriteLine(report);
        figures.Write(report[..report.IndexOf('\n', StringComparison.Ordinal)] + "\n" + totals.ToTable());
        Assert.True(failing.Count == 0, report);
    }

    /// <summary>Gives the membership a role other than the one it holds (Clerk holds the desired role before this runs).</summary>
    private static async Task SetRoleAsync(ClerkClient clerk, string org, string user, CancellationToken cancellationToken)
    {
        var current = await clerk.GetMembershipAsync(org, user, cancellationToken).ConfigureAwait(false);
        var wrong = current.Membership?.Role == "org:member" ? "org:admin" : "org:member";
        await clerk.UpdateMembershipRoleAsync(org, user, wrong, cancellationToken).ConfigureAwait(false);
    }
}
