namespace RoleSync.LoadTest;

/// <summary>
/// Issue 13's runs: K RoleSync host processes (or a fleet of client stacks in one process) sharing the deployment's
/// Clerk budget, beside the customer's own app, against the sandbox enforcing Clerk's production limits.
/// </summary>
internal sealed partial class Orchestrator
{
    /// <summary>The scale-out, burst and simulated-fleet runs the options ask for, one after another.</summary>
    private async Task<bool> RunScaleOutAsync(RunServices services, Action<string> emit)
    {
        int budget = options.Budget;
        var steady = new AppLoad { RatePer10Seconds = options.AppRate };
        var scenarios = new List<ScaleOutScenario>();
        scenarios.AddRange(options.ScaleOut.Select(k => new ScaleOutScenario($"scale-out K={k}", k, 1, k, budget * options.BacklogWindows, steady)));
        if (options.BurstHosts > 0)
        {
            var burst = steady with { BurstRatePer10Seconds = options.BurstRate, BurstSeconds = options.BurstSeconds, BurstAfterSeconds = options.BurstAfterSeconds };
            scenarios.Add(new ScaleOutScenario($"burst K={options.BurstHosts}", options.BurstHosts, 1, options.BurstHosts, budget * options.BurstBacklogWindows, burst));
        }
        scenarios.AddRange(options.Simulate.Select(f => new ScaleOutScenario($"{f.Hosts} hosts in one process, MaxInstances={f.MaxInstances}", 1, f.Hosts, f.MaxInstances, budget * options.BacklogWindows, steady)));

        emit($"Scale-out runs: the sandbox enforces {ClerkProductionLimit} requests / 10 s per instance and {ClerkMembershipLimit} PATCHes / 10 s per membership, key sk_live_…; " +
            $"Clerk:RequestsPer10Seconds {budget} (the deployment budget) on every host, RoleSync:MaxInstances as given; {options.HostConcurrency} messages in flight per host (host.json maxConcurrentCalls); " +
            $"in-memory ledger; the customer app sends {options.AppRate} GETs / 10 s on the same key; the sandbox answers after {options.ClerkLatencyMilliseconds} ms.");
        emit("");
        var results = new List<ScaleOutMeasurement>();
        bool ok = true;
        foreach (var scenario in scenarios)
        {
            Console.WriteLine($"-- {scenario.Name}: {scenario.Hosts} hosts, {scenario.Messages} messages (about {scenario.Messages * 10.0 / budget:0} s at the budget)");
            var measurement = await RunScenarioAsync(scenario, services).ConfigureAwait(false);
            results.Add(measurement);
            var figures = new ScaleOutFigures(measurement);
            ok &= measurement.Error is null && figures.Failed == 0;
            Console.WriteLine(ScaleOutReport.Table([measurement]));
        }
        emit(ScaleOutReport.Table(results));
        emit(ScaleOutReport.Windows(results));
        foreach (var burst in results.Where(r => r.App?.BurstFrom is not null))
        {
            emit(ScaleOutReport.Burst(burst));
        }
        emit(ScaleOutReport.Costs(results));
        return ok;
    }

    private async Task<ScaleOutMeasurement> RunScenarioAsync(ScaleOutScenario scenario, RunServices services)
    {
        var sandboxOptions = new ClerkSandbox.ClerkSandboxOptions { InstanceLimit = ClerkProductionLimit, MembershipLimit = ClerkMembershipLimit, RecordRequests = true };
        sandboxOptions.SecretKeys.Clear();
        sandboxOptions.SecretKeys.Add(LiveKey);
        await using var sandbox = await ClerkSandbox.ClerkSandbox.StartAsync(sandboxOptions).ConfigureAwait(false);
        sandbox.Latency = TimeSpan.FromMilliseconds(options.ClerkLatencyMilliseconds);
        Workload.Seed(sandbox, scenario.Messages, 0);
        for (int m = 0; m < 10; m++)
        {
            sandbox.AddMember(AppLoad.Organization, $"user_app{m}", Workload.SeedRole);
        }

        int maxSeconds = (scenario.Messages * 10 / options.Budget * 3) + 120;
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds + 180));
        var runId = $"{_runId}{scenario.Name.Replace(" ", "", StringComparison.Ordinal)}";
        VariantSpec Base(string name, VariantKind kind) => new()
        {
            Name = $"{runId}-{name}",
            Kind = kind,
            ClerkUrl = sandbox.BaseUrl,
            ClerkKey = LiveKey,
            VaultUri = services.Vault.VaultUri,
            VaultCertificatePath = services.CertificatePath,
            SecretName = LiveSecretName,
            Messages = 0,
            Concurrency = options.HostConcurrency,
            Memberships = scenario.Messages,
            Warmup = 0,
            WarmupSeconds = 0,
            MaxSeconds = maxSeconds,
            RequestsPer10Seconds = options.Budget,
        };

        var children = new List<RunningChild>();
        try
        {
            for (int p = 0; p < scenario.Processes; p++)
            {
                int first = scenario.Messages * p / scenario.Processes, next = scenario.Messages * (p + 1) / scenario.Processes;
                var slice = new HostSlice
                {
                    RunId = runId, Hosts = scenario.HostsPerProcess, MaxInstances = scenario.MaxInstances,
                    FirstMessage = first, Count = next - first, TotalMessages = scenario.Messages, MaxAttempts = options.MaxAttempts,
                };
                children.Add(await RunningChild.StartAsync(Base($"host{p}", VariantKind.RoleSyncMemory) with { Slice = slice }, guard.Token).ConfigureAwait(false));
            }
            var app = await RunningChild.StartAsync(Base("app", VariantKind.CustomerApp) with { App = scenario.App }, guard.Token).ConfigureAwait(false);
            children.Add(app);
            foreach (var child in children)
            {
                if (!await child.WaitReadyAsync(guard.Token).ConfigureAwait(false))
                {
                    return new ScaleOutMeasurement { Scenario = scenario, Budget = options.Budget, InstanceLimit = ClerkProductionLimit, Error = "a child exited during setup" };
                }
            }

            sandbox.ClearRequests();
            int vaultAtGo = services.Vault.SecretReads;
            var go = DateTimeOffset.UtcNow;
            await Task.WhenAll(children.Select(c => c.GoAsync(guard.Token))).ConfigureAwait(false);
            var hosts = await Task.WhenAll(children.SkipLast(1).Select(c => c.ResultAsync(guard.Token))).ConfigureAwait(false);
            var end = DateTimeOffset.UtcNow;
            await app.StopAsync(guard.Token).ConfigureAwait(false);
            var appResult = await app.ResultAsync(guard.Token).ConfigureAwait(false);
            var seen = sandbox.Requests
                .Select(r => new SeenRequest(r.ReceivedAt, r.UserAgent?.StartsWith("RoleSync/", StringComparison.Ordinal) == true, r.StatusCode))
                .ToList();
            return new ScaleOutMeasurement
            {
                Scenario = scenario,
                Budget = options.Budget,
                InstanceLimit = ClerkProductionLimit,
                Hosts = [.. hosts.OfType<ScaleOutResult>()],
                App = appResult,
                Requests = seen,
                Go = go,
                End = end,
                VaultReads = services.Vault.SecretReads - vaultAtGo,
                Error = hosts.Any(h => h is null) || appResult is null ? "a child exited without a result" : null,
                LoadAfter = MachineInfo.LoadAverage(),
            };
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            return new ScaleOutMeasurement { Scenario = scenario, Budget = options.Budget, InstanceLimit = ClerkProductionLimit, Error = $"not finished within {maxSeconds + 180} s" };
        }
        finally
        {
            foreach (var child in children)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
