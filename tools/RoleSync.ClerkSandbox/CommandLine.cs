using System.Globalization;

namespace RoleSync.ClerkSandbox;

/// <summary>Arguments of the stand-alone sandbox: <c>[--port N] [--seed FILE]</c>.</summary>
internal sealed record CommandLine(int Port, string? SeedPath)
{
    public const string Usage = "Usage: RoleSync.ClerkSandbox [--port N] [--seed FILE]   (port 0 or none = pick a free port)";

    /// <summary>The parsed arguments, or null with <paramref name="error"/> set.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        int port = 0;
        string? seedPath = null;
        for (int i = 0; i < args.Count; i++)
        {
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535:
                    i++;
                    break;
                case "--port":
                    error = $"--port needs a number from 0 to 65535, got '{value}'.";
                    return null;
                case "--seed" when !string.IsNullOrEmpty(value):
                    seedPath = value;
                    i++;
                    break;
                case "--seed":
                    error = "--seed needs a file path.";
                    return null;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return null;
            }
        }

        error = null;
        return new CommandLine(port, seedPath);
    }
}
