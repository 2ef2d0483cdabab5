using System.Globalization;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Messaging;

/// <summary>
/// The messages RoleSync puts on the role-changes queue itself: a change handed to it through another door than the
/// queue (<see cref="Submission"/>), in the plain form of the message contract, so the queue's processing sees a
/// producer's message like any other, plus its signed entry point and principal.
/// </summary>
public static class RoleChangeMessages
{
    /// <summary>
    /// <paramref name="change"/> as a message: MessageId = eventId (duplicate detection drops a re-send), the normalised
    /// plain-form body (every field explicit, <c>occurredAt</c> in UTC with 7 fractional digits), content type
    /// <c>application/json</c>, and <see cref="MessageProperties.EntryPoint"/> + <see cref="MessageProperties.Principal"/>
    /// signed with <paramref name="signature"/> (<see cref="MessageSignatureScope.Copy"/>), so the queue trusts them.
    /// </summary>
    public static ServiceBusMessage Submission(RoleChange change, EntryPoint entryPoint, string? principal, MessageSignature signature)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(signature);
        var message = new ServiceBusMessage(Body(change))
        {
            MessageId = change.EventId,
            ContentType = "application/json",
        };
        var properties = message.ApplicationProperties;
        properties[MessageProperties.EntryPoint] = MessageLineage.NameOf(entryPoint);
        if (!string.IsNullOrEmpty(principal))
        {
            properties[MessageProperties.Principal] = principal;
        }
        properties[MessageProperties.Signature] = signature.Compute(MessageSignatureScope.Copy, message.MessageId, default, message.Body, properties);
        return message;
    }

    /// <summary>The plain contract form of <paramref name="change"/> (UTF-8 JSON), which <see cref="RoleChangeParser"/> reads back as the same change.</summary>
    public static BinaryData Body(RoleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", change.EventId);
            json.WriteString("occurredAt", change.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("organizationId", change.OrganizationId);
            // Contract 1.1: the user as the change names them (one identifier), and a removal as action "remove" (no role).
            if (change.ExternalId is { } externalId)
            {
                json.WriteString("externalId", externalId);
            }
            else if (change.EmailAddress is { } emailAddress)
            {
                json.WriteString("emailAddress", emailAddress);
            }
            else
            {
                json.WriteString("userId", change.UserId);
            }
            if (change.IsRemoval)
            {
                json.WriteString("action", KebabCaseEnumConverter<RoleChangeAction>.NameOf(change.Action));
            }
            else
            {
                json.WriteString("role", change.Role);
            }
            if (change.Source is not null)
            {
                json.WriteString("source", change.Source);
            }
            if (change.Reason is not null)
            {
                json.WriteString("reason", change.Reason);
            }
            json.WriteEndObject();
        }
        return new BinaryData(buffer.ToArray());
    }
}
