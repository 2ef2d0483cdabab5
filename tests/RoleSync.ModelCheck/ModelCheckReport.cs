using Xunit.Abstractions;
using Xunit.Sdk;

namespace RoleSync.ModelCheck;

/// <summary>
/// Writes the model check's figures (seeds, time, fault counts) as xunit diagnostic messages, which <c>dotnet test</c>
/// (and so <c>./test.sh</c>) prints for passing tests too (xunit.runner.json turns them on for this assembly).
/// </summary>
public sealed class ModelCheckReport(IMessageSink sink)
{
    public void Write(string text) => sink.OnMessage(new DiagnosticMessage(text));
}
