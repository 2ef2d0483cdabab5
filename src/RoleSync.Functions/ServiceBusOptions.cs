using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace RoleSync.Functions;

/// <summary>
/// The queue settings the app reads, the same ones the Service Bus trigger reads: <c>RoleChangesQueueName</c>, and the
/// <c>ServiceBusConnection</c> connection (identity-based: <c>ServiceBusConnection__fullyQualifiedNamespace</c>, with
/// <c>__credential</c> = managedidentity and <c>__clientId</c> for a user-assigned identity; or, locally, a
/// connection string in <c>ServiceBusConnection</c> itself). The client itself is built by Microsoft.Extensions.Azure from
/// the <c>ServiceBusConnection</c> section.
/// </summary>
public sealed class ServiceBusOptions : IValidatableObject
{
    public const string QueueNameKey = "RoleChangesQueueName";
    public const string ConnectionKey = "ServiceBusConnection";
    public const string ManagedIdentity = "managedidentity";

    /// <summary><c>RoleChangesQueueName</c> (a root setting, read by the trigger too).</summary>
    public string? QueueName { get; set; }

    /// <summary><c>ServiceBusConnection</c>'s own value: a connection string (local development).</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>ServiceBusConnection__fullyQualifiedNamespace</c>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary><c>ServiceBusConnection__credential</c>: managedidentity or unset.</summary>
    public string? Credential { get; set; }

    /// <summary><c>ServiceBusConnection__clientId</c>: the user-assigned identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The two values the binder cannot reach from the <c>ServiceBusConnection</c> section: a root setting and the
    /// section's own value (binding a section to an object reads only its children).
    /// </summary>
    public void ReadRootSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        QueueName = configuration[QueueNameKey];
        ConnectionString = configuration[ConnectionKey];
    }

    /// <summary>Problems, each naming the setting to fix; empty when the settings are usable.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(QueueName))
        {
            yield return new($"{QueueNameKey} is not set: it names the Service Bus queue of role changes (the trigger reads %{QueueNameKey}%), e.g. role-changes.");
        }
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(FullyQualifiedNamespace))
        {
            yield return new($"{ConnectionKey} is not set: set {ConnectionKey}__fullyQualifiedNamespace to <namespace>.servicebus.windows.net " +
                $"(identity-based), or, locally, {ConnectionKey} to a connection string.");
        }
        if (!string.IsNullOrWhiteSpace(Credential) && !string.Equals(Credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
        {
            yield return new($"{ConnectionKey}__credential is '{Credential}': the only value supported is '{ManagedIdentity}' (or leave it unset).");
        }
    }
}
