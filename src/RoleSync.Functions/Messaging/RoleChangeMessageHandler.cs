using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Contract;
using RoleSync.Guard;
using RoleSync.History;
using RoleSync.Messaging;
using RoleSync.Processing;
using RoleSync.Quarantine;

namespace RoleSync.Functions.Messaging;

/// <summary>
/// One message, start to end: a span, the message's verified lineage (<see cref="MessageSigner"/>),
/// <see cref="RoleChangeProcessor"/> behind the <see cref="QuarantineGuard"/> and the <see cref="BulkChangeGuard"/> within the attempt deadline, <see cref="MessageSettler"/>, metrics and one
/// structured log line. The span continues the producer's trace (the message's traceparent or Diagnostic-Id) when the
/// invocation does not already.
/// </summary>
/// <remarks>
/// The attempt (reading the signing key and processing) gets a token cancelled at <c>Processing:AttemptDeadline</c>
/// (<see cref="ProcessingOptions"/>, on <see cref="TimeProvider"/>); a deadline hit is <c>Transient</c>
/// <see cref="Reasons.AttemptDeadlineExceeded"/>, settled as a retry (and recorded in the membership history here, as the
/// processor did not get to it). Settlement then runs on the invocation's token
/// only, so it still has the rest of <c>functionTimeout</c>. A cancelled invocation (host shutdown) is not caught.
/// </remarks>
public sealed partial class RoleChangeMessageHandler(
    RoleChangeProcessor processor,
    MembershipHistoryRecorder history,
    QuarantineGuard quarantine,
    BulkChangeGuard guard,
    MessageSigner signer,
    MessageSettler settler,
    IOptions<ProcessingOptions> processingOptions,
    IOptions<RetryOptions> retryOptions,
    RoleSyncTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<RoleChangeMessageHandler> logger)
{
    public const string SpanName = "ProcessRoleChange";

    /// <summary>
    /// The queue's enqueued time orders the change (with occurredAt: <see cref="Contract.RoleChange.EffectiveAt"/>); a
    /// redelivery, a retry copy or a replay (as RoleSync's own signed lineage says) may follow an attempt whose PATCH had an
    /// unknown fate.
    /// The entry point and principal come from the signed lineage too (a producer's message: <c>queue</c>, none), and a
    /// transient outcome of the last attempt (<c>Retry:MaxAttempts</c>) ends the lineage, as the history records.
    /// </summary>
    internal static ProcessingContext ContextOf(ServiceBusReceivedMessage message, MessageLineage lineage, int maxAttempts = int.MaxValue) => new(
        MessageLineage.FirstReceivedAt(message, lineage),
        Redelivered: message.DeliveryCount > 1 || lineage.Attempt > 1 || lineage.ReplayCount > 0,
        EntryPoint: lineage.EntryPoint,
        Principal: lineage.Principal,
        Attempt: lineage.Attempt,
        LastAttempt: lineage.Attempt >= maxAttempts);

    public async Task HandleAsync(ServiceBusReceivedMessage message, ServiceBusMessageActions actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var started = timeProvider.GetTimestamp();
        using var activity = StartActivity(message);

        var (signature, lineage, result) = await AttemptAsync(message, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("rolesync.attempt", lineage.Attempt);
        SetResultTags(activity, result);

        SettlementResult? settlement = null;
        try
        {
            settlement = await settler.SettleAsync(message, actions, result, lineage, signature, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Record(message, result, lineage.Attempt, settlement, timeProvider.GetElapsedTime(started), activity);
        }
    }

    /// <summary>The signing key, the lineage and the processing result, all within the attempt deadline.</summary>
    private async Task<(MessageSignature? Signature, MessageLineage Lineage, ProcessingResult Result)> AttemptAsync(
        ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        var deadline = processingOptions.Value.AttemptDeadline;
        using var timeout = new CancellationTokenSource(deadline, timeProvider);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        MessageSignature? signature = null;
        var lineage = MessageLineage.Read(message, null);
        try
        {
            signature = await signer.GetSignatureAsync(attempt.Token).ConfigureAwait(false);
            lineage = MessageLineage.Read(message, signature);
            var context = ContextOf(message, lineage, retryOptions.Value.MaxAttempts);
            // The quarantine check: while RoleSync is in quarantine the processor (and Clerk) is not called; inside it, the
            // bulk-change guard holds an organization's privilege-reducing changes past Guard:MaxPerWindow for an operator.
            var body = message.Body.ToMemory();
            var result = await quarantine.ProcessAsync(body,
                token => guard.ProcessAsync(body, context, inner => processor.ProcessAsync(body, context, inner), token), attempt.Token).ConfigureAwait(false);
            return (signature, lineage, result);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var change = processor.Resolver.Roles.Parse(message.Body.ToMemory().Span, timeProvider.GetUtcNow()).Change;
            var result = ProcessingResult.Transient(change, Reasons.AttemptDeadlineExceeded,
                $"The attempt did not finish within Processing:AttemptDeadline ({deadline:c}); it is retried.");
            // The processor was cut off before its history entry: this attempt's entry is written here (on the invocation's token).
            await history.RecordAsync(result, ContextOf(message, lineage, retryOptions.Value.MaxAttempts), cancellationToken).ConfigureAwait(false);
            return (signature, lineage, result);
        }
    }

    private static Activity? StartActivity(ServiceBusReceivedMessage message)
    {
        var current = Activity.Current;
        var parent = current?.Context ?? default;
        IEnumerable<ActivityLink>? links = null;
        if (TryGetProducerContext(message, out var producer) && producer.TraceId != parent.TraceId)
        {
            // The invocation started a trace of its own: make this span part of the producer's, linked to the invocation.
            links = current is null ? null : [new ActivityLink(current.Context)];
            parent = producer;
        }
        var activity = RoleSyncTelemetry.ActivitySource.StartActivity(SpanName, ActivityKind.Consumer, parent, links: links);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("messaging.message.conversation_id", message.CorrelationId);
        activity?.SetTag("messaging.servicebus.message.delivery_count", message.DeliveryCount);
        return activity;
    }

    private static bool TryGetProducerContext(ServiceBusReceivedMessage message, out ActivityContext context)
    {
        var properties = message.ApplicationProperties;
        var traceState = properties.TryGetValue("tracestate", out var state) ? state as string : null;
        foreach (var key in (ReadOnlySpan<string>)["traceparent", MessageProperties.DiagnosticId])
        {
            if (properties.TryGetValue(key, out var value) && value is string id && ActivityContext.TryParse(id, traceState, out context))
            {
                return true;
            }
        }
        context = default;
        return false;
    }

    private static void SetResultTags(Activity? activity, ProcessingResult result)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("rolesync.event_id", result.EventId);
        activity.SetTag("rolesync.organization_id", result.Change?.OrganizationId);
        activity.SetTag("rolesync.user_id", result.Change?.UserId);
        activity.SetTag("rolesync.role", result.Change?.Role);
        activity.SetTag(RoleSyncTelemetry.OutcomeTag, result.Outcome.ToString());
        activity.SetTag(RoleSyncTelemetry.ReasonTag, result.Reason);
        activity.SetTag("clerk.trace_id", result.ClerkTraceId);
        if (result.Outcome is Outcome.Rejected or Outcome.Transient)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Reason);
        }
    }

    private void Record(ServiceBusReceivedMessage message, ProcessingResult result, int attempt, SettlementResult? settlement, TimeSpan duration, Activity? activity)
    {
        var action = settlement?.Action.ToString() ?? "Failed";
        var reason = settlement?.Decision is SettlementDecision.DeadLetter deadLetter ? deadLetter.Reason : result.Reason;
        activity?.SetTag(RoleSyncTelemetry.SettlementTag, action);
        activity?.SetTag("rolesync.settlement_reason", reason);

        var tags = new TagList
        {
            { RoleSyncTelemetry.OutcomeTag, result.Outcome.ToString() },
            { RoleSyncTelemetry.ReasonTag, reason ?? "none" },
            { RoleSyncTelemetry.SettlementTag, action },
        };
        telemetry.Messages.Add(1, tags);
        telemetry.ProcessingDuration.Record(duration.TotalSeconds, tags);
        if (settlement?.Action == SettlementAction.RetryScheduled)
        {
            telemetry.RetriesScheduled.Add(1, new KeyValuePair<string, object?>(RoleSyncTelemetry.ReasonTag, reason ?? "none"));
        }

        var level = settlement?.Action switch
        {
            SettlementAction.Completed => LogLevel.Information,
            SettlementAction.RetryScheduled => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        var next = settlement is { Action: SettlementAction.RetryScheduled, Decision: SettlementDecision.ScheduleRetry retry } ? retry.EnqueueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null;
        LogProcessed(logger, level, result.EventId, message.MessageId, message.CorrelationId, result.Change?.OrganizationId, result.Change?.UserId,
            result.Change?.Role, result.Outcome, reason ?? "none", action, attempt, message.DeliveryCount, (long)duration.TotalMilliseconds, next, result.ClerkTraceId, result.Detail);
    }

    [LoggerMessage(EventId = 1000, Message =
        "Role change {EventId}: {Outcome} {Reason}, settled {Settlement} (message {MessageId}, correlation {CorrelationId}, " +
        "{OrganizationId}/{UserId} -> {Role}, attempt {Attempt}, delivery {DeliveryCount}, {DurationMs} ms, next attempt at {NextAttemptAt}, " +
        "Clerk trace {ClerkTraceId}) {Detail}")]
    private static partial void LogProcessed(ILogger logger, LogLevel level, string? eventId, string messageId, string? correlationId,
        string? organizationId, string? userId, string? role, Outcome outcome, string? reason, string settlement, int attempt, int deliveryCount,
        long durationMs, string? nextAttemptAt, string? clerkTraceId, string? detail);
}
