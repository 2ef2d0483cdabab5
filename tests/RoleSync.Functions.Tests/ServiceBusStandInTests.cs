using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace RoleSync.Functions.Tests;

/// <summary>
/// The Service Bus extension the app compiled against (the real package, or the stand-in in eng/ServiceBusStandIn
/// on a machine whose registry lacks it) has exactly the public surface written down in
/// eng/ServiceBusStandIn/PublicApi.txt from the real package's API.
/// </summary>
public sealed class ServiceBusStandInTests
{
    private const string StandInAssemblyName = "RoleSync.Eng.ServiceBusStandIn.NotForDeployment";
    private static readonly Assembly Extension = typeof(ServiceBusTriggerAttribute).Assembly;

    [Fact]
    public void The_extension_s_public_surface_matches_the_checked_in_list_of_the_real_signatures()
    {
        var lines = File.ReadAllLines(TestPaths.InRepository("eng", "ServiceBusStandIn", "PublicApi.txt"));
        var omitted = lines.Where(l => l.StartsWith("# omitted: ", StringComparison.Ordinal)).Select(l => l["# omitted: ".Length..].Trim()).ToHashSet();
        var expected = lines.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var actual = PublicApi.Describe(Extension, omitted).ToList();

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{Extension.GetName().Name} differs from PublicApi.txt.\nMissing:\n{string.Join("\n", missing)}\nNot listed:\n{string.Join("\n", extra)}");
        Assert.Equal(expected, actual); // same lines, same order
    }

    [Fact]
    public void The_stand_in_declares_no_host_extension_and_says_what_it_is()
    {
        var isStandIn = Extension.GetName().Name == StandInAssemblyName;
        var hostExtensions = Extension.GetCustomAttributes<ExtensionInformationAttribute>().ToList();

        if (isStandIn)
        {
            Assert.Empty(hostExtensions);
            var actions = (ServiceBusMessageActions)Activator.CreateInstance(typeof(ServiceBusMessageActions), nonPublic: true)!;
            var error = Assert.Throws<NotSupportedException>(() => { _ = actions.CompleteMessageAsync(null!, CancellationToken.None); });
            Assert.Contains("stand-in", error.Message);
        }
        else
        {
            Assert.Equal("Microsoft.Azure.Functions.Worker.Extensions.ServiceBus", Extension.GetName().Name);
            Assert.Contains(hostExtensions, e => e.ExtensionPackage == "Microsoft.Azure.WebJobs.Extensions.ServiceBus");
        }
    }
}
