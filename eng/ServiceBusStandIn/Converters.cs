using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

// The converters exist for their attributes: [SupportsDeferredBinding] is what makes the Worker SDK write
// "supportsDeferredBinding" into functions.metadata. At run time they decline, since nothing can host the stand-in.

[SupportsDeferredBinding]
internal sealed class ServiceBusReceivedMessageConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) => StandIn.Decline();
}

[SupportsDeferredBinding]
internal sealed class ServiceBusMessageActionsConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) => StandIn.Decline();
}

[SupportsDeferredBinding]
internal sealed class ServiceBusSessionMessageActionsConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) => StandIn.Decline();
}

internal static class StandIn
{
    private const string Message =
        "This is RoleSync's compile-time stand-in for Microsoft.Azure.Functions.Worker.Extensions.ServiceBus " +
        "(eng/ServiceBusStandIn, built with -p:UseServiceBusStandIn=true). It cannot receive or settle messages; " +
        "build with the real package to run the app.";

    public static NotSupportedException NotSupported() => new(Message);

    public static ValueTask<ConversionResult> Decline() => new(ConversionResult.Failed(NotSupported()));
}
