using System.Diagnostics;
using System.Reflection;

namespace RoleSync.Infra.Tests;

/// <summary>
/// Runs the Bicep CLI from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, which the test
/// project downloads (PackageDownload) into the NuGet packages folder.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static string ExecutablePath { get; } = Path.Combine(
        Metadata("NuGetPackageRoot"), "azure.bicep.commandline.linux-x64", Metadata("BicepCliVersion"), "tools", "bicep");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>Compiles a Bicep file to an ARM template; returns the diagnostics (SARIF on stderr).</summary>
    public static async Task<IReadOnlyList<string>> BuildAsync(string bicepFile, string outFile, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["build", bicepFile, "--outfile", outFile, "--diagnostics-format", "sarif"], cancellationToken);
        var diagnostics = ParseSarif(result.StandardError);
        if (result.ExitCode != 0 || !File.Exists(outFile))
        {
            var details = diagnostics.Count > 0 ? string.Join('\n', diagnostics) : result.StandardError;
            throw new InvalidOperationException($"bicep build {bicepFile} failed with exit code {result.ExitCode}:\n{details}");
        }

        return diagnostics;
    }

    /// <summary>Lints a Bicep file; returns the diagnostics (SARIF on stdout) whatever the exit code.</summary>
    public static async Task<IReadOnlyList<string>> LintAsync(string bicepFile, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["lint", bicepFile, "--diagnostics-format", "sarif"], cancellationToken);
        var diagnostics = ParseSarif(result.StandardOutput);
        if (result.ExitCode != 0 && diagnostics.Count == 0)
        {
            throw new InvalidOperationException($"bicep lint {bicepFile} failed with exit code {result.ExitCode}:\n{result.StandardError}");
        }

        return diagnostics;
    }

    /// <summary>One line per SARIF result: "level ruleId file:line message".</summary>
    private static List<string> ParseSarif(string sarif)
    {
        var start = sarif.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        var diagnostics = new List<string>();
        foreach (var run in JsonNode.Parse(sarif[start..])!["runs"]!.AsArray())
        {
            foreach (var result in run!["results"]!.AsArray())
            {
                // SARIF leaves "level" out for warnings, its default.
                var level = (string?)result!["level"] ?? "warning";
                var location = result["locations"]?[0]?["physicalLocation"];
                var file = Path.GetFileName((string?)location?["artifactLocation"]?["uri"]);
                var line = (int?)location?["region"]?["startLine"];
                diagnostics.Add($"{level} {(string?)result["ruleId"]} {file}:{line} {(string?)result["message"]?["text"]}");
            }
        }

        return diagnostics;
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        EnsureExecutable();
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        try
        {
            var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await standardOutput, await standardError);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static void EnsureExecutable()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is missing at {ExecutablePath}. It comes from the NuGet package " +
                "Azure.Bicep.CommandLine.linux-x64 (linux-x64 only), downloaded by " +
                "'dotnet restore tests/RoleSync.Infra.Tests'.",
                ExecutablePath);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(ExecutablePath);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(ExecutablePath, mode | execute);
        }
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: see RoleSync.Infra.Tests.csproj.");
}
