namespace RoleSync.ClerkSandbox;

/// <summary>
/// One PATCH taken by a <see cref="PatchHold"/>: received and accepted, but not applied and never answered. As the
/// request's result it waits until the hold lands or discards it, or the client gives up, then resets the connection.
/// It is recorded (status 0, <see cref="RecordedRequest.Held"/>) the moment it is held, so tests see it before they are signalled.
/// </summary>
internal sealed class HeldPatch(long sequence, DateTimeOffset receivedAt, string role, PendingRecord? record) : IResult
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Sequence => sequence;

    public DateTimeOffset ReceivedAt => receivedAt;

    public string Role => role;

    /// <summary>Taken by a hold: records the request as held and never answered.</summary>
    public void MarkHeld() => record?.Complete(statusCode: 0, held: true);

    /// <summary>Landed or discarded: the request ends without an answer.</summary>
    public void Release() => _released.TrySetResult();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            await _released.Task.WaitAsync(httpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout): the PATCH stays held and lands when the test says so.
        }

        httpContext.Abort();
    }
}
