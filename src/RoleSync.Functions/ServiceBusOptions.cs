using Microsoft.Extensions.Configuration;

namespace RoleSync.Functions;

/// <summary>
/// The queue settings the app reads, the same ones the Service Bus trigger reads: <c>RoleChangesQueueName</c>, and the
/// <c>ServiceBusConnection</c> connection (identity-based: <c>ServiceBusConnection__fullyQualifiedNamespace</c>, with
/// <c>__credential</c> = managedidentity and <c>__clientId</c> for a user-assigned identity; or, locally, a
/// connection string in <c>ServiceBusConnection</c> itself).
/// </summary>
public sealed class ServiceBusOptions
{
    public const string QueueNameKey = "RoleChangesQueueName";
    public const string ConnectionKey = "ServiceBusConnection";
    public const string ManagedIdentity = "managedidentity";

    public string? QueueName { get; set; }

    public string? ConnectionString { get; set; }

    public string? FullyQualifiedNamespace { get; set; }

    public string? Credential { get; set; }

    public string? ClientId { get; set; }

    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connection = configuration.GetSection(ConnectionKey);
        QueueName = configuration[QueueNameKey];
        ConnectionString = connection.Value;
        FullyQualifiedNamespace = connection["fullyQualifiedNamespace"];
        Credential = connection["credential"];
        ClientId = connection["clientId"];
    }

    /// <summary>Problems, each naming the setting to fix; empty when the settings are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(QueueName))
        {
            yield return $"{QueueNameKey} is not set: it names the Service Bus queue of role changes (the trigger reads %{QueueNameKey}%), e.g. role-changes.";
        }
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(FullyQualifiedNamespace))
        {
            yield return $"{ConnectionKey} is not set: set {ConnectionKey}__fullyQualifiedNamespace to <namespace>.servicebus.windows.net " +
                $"(identity-based), or, locally, {ConnectionKey} to a connection string.";
        }
        if (!string.IsNullOrWhiteSpace(Credential) && !string.Equals(Credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{ConnectionKey}__credential is '{Credential}': the only value supported is '{ManagedIdentity}' (or leave it unset).";
        }
    }
}
