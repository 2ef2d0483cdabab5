using System.Runtime.InteropServices;

namespace RoleSync.LoadTest;

/// <summary>A one-paragraph description of the machine, for the report.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var gc = GCSettings.IsServerGC ? "server GC" : "workstation GC";
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {memoryGiB:0.#} GiB; {RuntimeInformation.OSDescription}; " +
            $"{RuntimeInformation.FrameworkDescription}, {gc}{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}";
    }

    /// <summary>1, 5 and 15 minute load averages ("n/a" where /proc/loadavg does not exist).</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string? ReadFirst(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
