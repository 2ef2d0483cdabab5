using RoleSync.Cli;
using RoleSync.ClerkSandbox;
using RoleSync.Emulators;

namespace RoleSync.Demo;

/// <summary>
/// The whole pipeline, offline: the Clerk sandbox on a free loopback port seeded from samples/sandbox-seed.json,
/// Azurite as the ledger when it is installed (else the CLI's in-memory ledger), then the real CLI's
/// <c>apply samples/role-changes.jsonl</c> in-process, and the Clerk roles it left. Everything it starts, it stops.
/// </summary>
internal static class DemoRun
{
    /// <summary>The samples, copied next to the program (see the project file).</summary>
    private static readonly string SamplesDirectory = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>The settings the samples need, as environment variables: joiners are created, the HR role "Manager" is org:admin.</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Membership__CreateMissing"] = "true",
        ["Roles__Map__Manager"] = "org:admin",
    };

    /// <summary>
    /// 0 when the demo ran (the samples are meant to end partly rejected, so rolesync's exit code 2 is expected), 1 when
    /// rolesync or the set-up failed, 130 when canceled.
    /// </summary>
    /// <param name="findAzurite">Where Azurite is installed (<see cref="AzuriteProcess.FindExecutable"/>), null when it is not.</param>
    public static async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, Func<string?> findAzurite, CancellationToken ct)
    {
        AzuriteProcess? azurite = null;
        ClerkSandbox.ClerkSandbox? sandbox = null;
        try
        {
            sandbox = await ClerkSandbox.ClerkSandbox.StartAsync(new ClerkSandboxOptions(), ct).ConfigureAwait(false);
            sandbox.LoadSeed(await File.ReadAllTextAsync(Path.Combine(SamplesDirectory, "sandbox-seed.json"), ct).ConfigureAwait(false));
            var seeded = sandbox.GetMemberships();
            var clerkUrl = sandbox.BaseUrl.GetLeftPart(UriPartial.Authority);
            var key = sandbox.SecretKeys.First();
            await stdout.WriteLineAsync($"Clerk sandbox (a fake Clerk Backend API) listening on {clerkUrl}, seeded from samples/sandbox-seed.json: " +
                $"{seeded.Select(m => m.OrganizationId).Distinct().Count()} organizations, {seeded.Count} memberships.").ConfigureAwait(false);

            azurite = await StartAzuriteAsync(stdout, stderr, findAzurite, ct).ConfigureAwait(false);
            string[] args = ["apply", Path.Combine(SamplesDirectory, "role-changes.jsonl"), "--clerk-api-url", clerkUrl,
                .. azurite is null ? Array.Empty<string>() : ["--ledger", azurite.ConnectionString]];
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync($"$ CLERK_SECRET_KEY={key} {string.Join(" ", Settings.Select(s => $"{s.Key}={s.Value}"))} rolesync apply samples/role-changes.jsonl --clerk-api-url {clerkUrl}" +
                (azurite is null ? "" : " --ledger \"<Azurite's connection string>\"")).ConfigureAwait(false);
            await stdout.FlushAsync(ct).ConfigureAwait(false);

            var environment = new Dictionary<string, string?>(Settings) { ["CLERK_SECRET_KEY"] = key };
            int exitCode = await RolesyncCli.RunAsync(args, TextReader.Null, stdout, stderr, environment, ct).ConfigureAwait(false);
            switch (exitCode)
            {
                case ExitCodes.Success or ExitCodes.SomeMessagesNotApplied:
                    await stdout.WriteLineAsync($"(rolesync exit code {exitCode}{(exitCode == ExitCodes.SomeMessagesNotApplied ? ": some messages were rejected, as the samples intend" : "")})").ConfigureAwait(false);
                    await WriteRolesAsync(stdout, seeded, sandbox.GetMemberships()).ConfigureAwait(false);
                    return 0;
                case ExitCodes.Canceled:
                    return ExitCodes.Canceled;
                default:
                    await stderr.WriteLineAsync($"demo: rolesync apply failed with exit code {exitCode} (its message is above).").ConfigureAwait(false);
                    return 1;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("demo: canceled.").ConfigureAwait(false);
            return ExitCodes.Canceled;
        }
        finally
        {
            azurite?.Dispose();
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
                await stdout.WriteLineAsync($"Stopped the Clerk sandbox{(azurite is null ? "" : " and Azurite")}.").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Azurite on a free loopback port, or null (and why) when it is not installed or does not start.</summary>
    private static async Task<AzuriteProcess?> StartAzuriteAsync(TextWriter stdout, TextWriter stderr, Func<string?> findAzurite, CancellationToken ct)
    {
        if (findAzurite() is not { } executable)
        {
            await stdout.WriteLineAsync($"Ledger: rolesync's in-memory ledger (ordering within this run only). Azurite is not installed. {AzuriteProcess.InstallHint}").ConfigureAwait(false);
            return null;
        }
        try
        {
            var azurite = await AzuriteProcess.StartAsync(executable, ct).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Ledger: Azure Table Storage on Azurite at 127.0.0.1:{azurite.Port} (in memory), the same ledger the Functions app uses.").ConfigureAwait(false);
            return azurite;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            await stderr.WriteLineAsync($"demo: Azurite did not start ({ex.Message.Trim()}); going on with the in-memory ledger.").ConfigureAwait(false);
            await stdout.WriteLineAsync("Ledger: rolesync's in-memory ledger (ordering within this run only).").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task WriteRolesAsync(TextWriter stdout, IReadOnlyList<SandboxMembership> before, IReadOnlyList<SandboxMembership> after)
    {
        var was = before.ToDictionary(m => (m.OrganizationId, m.UserId), m => m.Role);
        var now = after.Select(m => (m.OrganizationId, m.UserId)).ToHashSet();
        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync("Clerk roles now (the sandbox's memberships):").ConfigureAwait(false);
        foreach (var membership in after)
        {
            var change = !was.TryGetValue((membership.OrganizationId, membership.UserId), out var old) ? "joined"
                : old != membership.Role ? $"was {old}"
                : "unchanged";
            await stdout.WriteLineAsync($"  {membership.OrganizationId}  {membership.UserId}  {membership.Role,-12} ({change})").ConfigureAwait(false);
        }
        foreach (var gone in before.Where(m => !now.Contains((m.OrganizationId, m.UserId))))
        {
            await stdout.WriteLineAsync($"  {gone.OrganizationId}  {gone.UserId}  {"-",-12} (removed; was {gone.Role})").ConfigureAwait(false);
        }
    }
}
