using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using RoleSync.Contract;
using RoleSync.Messaging;

namespace RoleSync.Replay;

/// <summary>
/// Edit-and-retry: a dead letter is sent again with a corrected body (either contract form, judged by
/// <see cref="RoleChangeParser"/>; any field may change but the eventId, which becomes <see cref="EditedEventId"/>),
/// as <see cref="MessageCopies.EditCopy"/> under the derived event id as MessageId, and the dead letter is completed
/// only with or after a successful send (<see cref="IDeadLetterQueue.ResendAsync"/>). Each dead letter is edited once:
/// the edit is recorded under <c>edit:{sequenceNumber}</c> (<see cref="IOperatorRequestStore"/>) before anything is sent.
/// </summary>
/// <remarks>
/// After a crash (or a failed or lock-lost send) between the record and the dead letter's completion, the record and
/// the dead letter are both still there. Retrying the same edit (same corrected body) then resumes it: the copy is sent
/// again under the same MessageId (duplicate detection drops it if the first send got through; and with the same event
/// id and content the ledger would count a second delivery as a duplicate) and the dead letter completed, so at most
/// one edited change takes effect. An edit with another body is refused (409): the first one may be in the queue
/// already. Once the dead letter is completed, every further edit of it is refused (409).
/// </remarks>
public sealed partial class DeadLetterEditor(
    IDeadLetterQueue queue, IOperatorRequestStore store, MessageSigner signer, TimeProvider timeProvider, ILogger<DeadLetterEditor> logger)
{
    /// <summary>The store key of the edit of the dead letter <paramref name="sequenceNumber"/>.</summary>
    public static string KeyOf(long sequenceNumber) => "edit:" + sequenceNumber.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The event id of an edited change: <c>{original}~edit1</c>, or the next number when the original is itself an
    /// edit (<c>evt~edit1</c> → <c>evt~edit2</c>).
    /// </summary>
    public static string EditedEventId(string originalEventId)
    {
        ArgumentNullException.ThrowIfNull(originalEventId);
        return EditSuffix().Match(originalEventId) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < int.MaxValue
            ? string.Concat(originalEventId.AsSpan(0, match.Index), "~edit", (n + 1).ToString(CultureInfo.InvariantCulture))
            : originalEventId + "~edit1";
    }

    public async Task<EditResult> EditAsync(long sequenceNumber, ReadOnlyMemory<byte> body, string caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = timeProvider.GetUtcNow();
        EditResult Result(EditStatus status, string? detail, IReadOnlyList<string>? errors = null, ServiceBusReceivedMessage? deadLetter = null,
            string? originalEventId = null, string? eventId = null, ReplayMode? mode = null, bool resumed = false) =>
            new(status, sequenceNumber, deadLetter?.MessageId, originalEventId, eventId, mode, resumed, errors ?? [], detail);

        var given = RoleChangeParser.Parse(body.Span, now);
        if (given.Change is null)
        {
            return Result(EditStatus.Invalid, "the corrected body breaks the message contract", given.Errors);
        }
        var key = KeyOf(sequenceNumber);
        var recorded = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        var peeked = await queue.PeekAsync(sequenceNumber, 1, cancellationToken).ConfigureAwait(false) is [var p] && p.SequenceNumber == sequenceNumber ? p : null;
        if (peeked is null)
        {
            return recorded is null
                ? Result(EditStatus.NotFound, "no dead letter with this sequence number")
                : Result(EditStatus.Conflict, $"dead letter {sequenceNumber} was edited and retried already (by {recorded.Caller} at {recorded.RecordedAt:O})");
        }
        var originalEventId = DeadLetterView.From(peeked, now).EventId ?? peeked.MessageId;
        var eventId = EditedEventId(originalEventId);
        var edited = WithEventId(body, eventId);
        var parsed = RoleChangeParser.Parse(edited, now);
        var errors = new List<string>(parsed.Errors);
        if (given.Change.EventId != originalEventId && given.Change.EventId != eventId)
        {
            errors.Insert(0, $"eventId: must stay \"{originalEventId}\", the dead letter's (the edited copy is sent as \"{eventId}\"), not \"{given.Change.EventId}\"");
        }
        if (errors.Count > 0)
        {
            return Result(EditStatus.Invalid, "the corrected body cannot be sent", errors, peeked, originalEventId, eventId);
        }
        if (await signer.GetSignatureAsync(cancellationToken).ConfigureAwait(false) is not { } signature)
        {
            return Result(EditStatus.Unavailable, "no key to sign the edited copy (the Clerk secret key is unavailable); try again later", null, peeked, originalEventId, eventId);
        }

        // Recorded before sending: see the remarks for what a retry after a crash does.
        var fingerprint = $"{peeked.MessageId} {Convert.ToHexStringLower(SHA256.HashData(edited))}";
        bool resumed = recorded is not null;
        if (recorded is null)
        {
            var mine = new OperatorRequestRecord(key, fingerprint, caller, now);
            recorded = await store.AddAsync(mine, cancellationToken).ConfigureAwait(false);
            resumed = recorded != mine; // another call recorded it first
        }
        if (recorded.Fingerprint != fingerprint)
        {
            return Result(EditStatus.Conflict,
                $"dead letter {sequenceNumber} has an edit with another body recorded (by {recorded.Caller} at {recorded.RecordedAt:O}), which may be in the queue already; it is not edited twice",
                null, peeked, originalEventId, eventId);
        }

        var held = new List<ServiceBusReceivedMessage>();
        var scan = new DeadLetterScan(queue);
        try
        {
            var deadLetter = await LockAsync(scan, sequenceNumber, held, cancellationToken).ConfigureAwait(false);
            if (deadLetter is null)
            {
                return Result(EditStatus.RetryLater, "the dead letter is locked by another receiver (or was just settled); send the same edit again", null, peeked, originalEventId, eventId);
            }
            var copy = MessageCopies.EditCopy(deadLetter, MessageLineage.Read(deadLetter, signature, deadLetter: true), eventId, BinaryData.FromBytes(edited), caller, signature);
            try
            {
                var mode = await queue.ResendAsync(deadLetter, copy, cancellationToken).ConfigureAwait(false);
                held.Remove(deadLetter);
                LogEdited(logger, caller, sequenceNumber, originalEventId, eventId, KebabCaseEnumConverter<ReplayMode>.NameOf(mode), resumed);
                return Result(EditStatus.Retried, null, null, deadLetter, originalEventId, eventId, mode, resumed);
            }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessageLockLost)
            {
                return Result(EditStatus.RetryLater, "the lock on the dead letter was lost; it stays in the dead-letter queue: send the same edit again", null, deadLetter, originalEventId, eventId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return Result(EditStatus.Failed, $"the edited copy could not be sent ({ex.GetType().Name}: {ex.Message}); the dead letter stays: send the same edit again",
                    null, deadLetter, originalEventId, eventId);
            }
        }
        finally
        {
            await scan.ReleaseAsync(held).ConfigureAwait(false);
        }
    }

    /// <summary>Receives dead letters until <paramref name="sequenceNumber"/> is among them (it stays in <paramref name="held"/>, locked), or null.</summary>
    private static async Task<ServiceBusReceivedMessage?> LockAsync(DeadLetterScan scan, long sequenceNumber, List<ServiceBusReceivedMessage> held, CancellationToken cancellationToken)
    {
        await foreach (var message in scan.ReceiveAsync(held, sequenceNumber, cancellationToken).ConfigureAwait(false))
        {
            if (message.SequenceNumber == sequenceNumber)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary><paramref name="body"/> (a JSON object the parser accepted) with its event id field (<c>eventId</c>, CloudEvents <c>id</c>) set to <paramref name="eventId"/>.</summary>
    private static byte[] WithEventId(ReadOnlyMemory<byte> body, string eventId)
    {
        var json = body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var name = root.TryGetProperty("specversion", out _) ? "id" : "eventId";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    writer.WriteString(name, eventId);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [GeneratedRegex(@"~edit([0-9]{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex EditSuffix();

    [LoggerMessage(Level = LogLevel.Information, EventName = "EditAndRetry",
        Message = "Dead letter {SequenceNumber} edited and retried by {Caller}: event {OriginalEventId} sent as {EventId}, mode={Mode}, resumed={Resumed}")]
    private static partial void LogEdited(ILogger logger, string caller, long sequenceNumber, string originalEventId, string eventId, string mode, bool resumed);
}
