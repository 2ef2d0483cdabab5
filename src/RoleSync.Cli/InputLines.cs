using System.Runtime.CompilerServices;
using System.Text;

namespace RoleSync.Cli;

/// <summary>One non-blank input line; <see cref="Index"/> is its 1-based line number.</summary>
internal readonly record struct InputLine(int Index, string Text)
{
    public byte[] Utf8() => Encoding.UTF8.GetBytes(Text);
}

/// <summary>JSON Lines input: a file, or stdin for "-". Blank lines are skipped (but counted in line numbers).</summary>
internal static class InputLines
{
    public const string StdinPath = "-";

    /// <summary>Opens the file (null for stdin). A missing or unreadable file is a <see cref="CliException"/>.</summary>
    public static StreamReader? OpenFile(string path)
    {
        if (path == StdinPath)
        {
            return null;
        }
        try
        {
            return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"cannot read input file '{path}': {ex.Message}");
        }
    }

    public static async IAsyncEnumerable<InputLine> ReadAsync(TextReader reader, string path, [EnumeratorCancellation] CancellationToken ct)
    {
        int number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliException($"cannot read {(path == StdinPath ? "stdin" : $"input file '{path}'")} after line {number}: {ex.Message}");
            }
            if (line is null)
            {
                yield break;
            }
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return new InputLine(number, line);
            }
        }
    }
}
