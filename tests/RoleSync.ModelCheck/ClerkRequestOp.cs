using System.Net.Http.Headers;
using System.Text;

namespace RoleSync.ModelCheck;

/// <summary>
/// One pending HTTP request to the simulated Clerk. Resolved normally, Clerk carries it out and answers at that moment.
/// Faults: 5xx (before, or after Clerk applied the PATCH), 429 with Retry-After, and no answer at all (the request is
/// lost: Polly's attempt timeout fires when the simulation advances virtual time; the PATCH reached Clerk at once, never,
/// or travels on and lands later). A crash while it is pending decides the same: applied, never, or landing later.
/// </summary>
internal sealed class ClerkRequestOp : PendingOp
{
    /// <summary>Marks a request message already sent once: Polly sends the same message again when it retries.</summary>
    private static readonly HttpRequestOptionsKey<bool> SentKey = new("RoleSync.ModelCheck.Sent");

    private readonly TaskCompletionSource<HttpResponseMessage> _completion = new();
    private readonly HttpRequestMessage _message;

    private ClerkRequestOp(Simulation simulation, Actor actor, HttpRequestMessage message, ClerkRequest request, CancellationToken cancellationToken)
        : base(simulation, actor, cancellationToken)
    {
        _message = message;
        Request = request;
        if (request.IsPatch)
        {
            actor.PatchesSent++;
            actor.PatchesInFlight++;
        }
        Start();
    }

    public ClerkRequest Request { get; }

    public override bool IsClerk => true;

    public static Task<HttpResponseMessage> Start(Simulation simulation, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var actor = simulation.EnterRequest();
        if (actor.Dead || cancellationToken.IsCancellationRequested)
        {
            simulation.Log($"{actor} Clerk request dropped (cancelled)");
            return Task.FromCanceled<HttpResponseMessage>(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(true));
        }
        var request = ClerkRequest.Read(simulation.NextRequestSequence(), message);
        if (message.Options.TryGetValue(SentKey, out _))
        {
            simulation.Count(Counter.PollyRetries);
        }
        message.Options.Set(SentKey, true);
        var op = new ClerkRequestOp(simulation, actor, message, request, cancellationToken);
        simulation.Log($"{actor} -> {request.Describe()}");
        return op._completion.Task;
    }

    public override string Describe() => Request.Describe();

    public override void Resolve()
    {
        var sim = Simulation;
        if (sim.KeyRevokedNow)
        {
            sim.Count(Counter.Clerk401KeyRevoked);
            Answer(ClerkState.Error(401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid."), "no effect: the key is revoked");
            return;
        }
        if (sim.TryFault(Faults.ClerkTimeout))
        {
            sim.Count(Counter.ClerkTimeouts);
            var fate = Request.IsPatch ? DecideFate() : "no effect";
            Lose();
            sim.Log($"{Actor} .. {Describe()}: no answer ({fate}); Polly's attempt timeout will fire");
            return;
        }
        if (sim.TryFault(Faults.ClerkRateLimit))
        {
            sim.Count(Counter.Clerk429);
            int seconds = sim.Random.Next(1, 21);
            Answer(ClerkState.Error(429, "too_many_requests", "Too many requests, please try again later.", retryAfterSeconds: seconds), "no effect");
            return;
        }
        if (Request.IsPatch && sim.TryFault(Faults.ClerkErrorAfterApplying))
        {
            sim.Count(Counter.Clerk5xxAfterApplying);
            var applied = sim.ExecuteOnClerk(Request, late: false);
            Answer(ClerkState.Error(502, "bad_gateway", "The gateway timed out."), $"after Clerk carried it out: {applied.Describe()}");
            return;
        }
        if (sim.TryFault(Faults.ClerkError))
        {
            sim.Count(Counter.Clerk5xx);
            Answer(ClerkState.Error(503, "service_unavailable", "The service is temporarily unavailable. Please try again later."), "no effect");
            return;
        }
        Answer(sim.ExecuteOnClerk(Request, late: false), null);
    }

    protected override void OnCanceled()
    {
        var sim = Simulation;
        if (Resolvable && Request.IsPatch)
        {
            // Cancelled while pending: a crash (the simulation never advances time while a Clerk request can be answered).
            sim.Log($"{Actor} x {Describe()} cancelled ({DecideFate()})");
        }
        else
        {
            sim.Log($"{Actor} x {Describe()} cancelled");
        }
        if (Request.IsPatch)
        {
            Actor.PatchesInFlight--;
        }
        _completion.SetCanceled(CancellationToken);
    }

    /// <summary>What became of a PATCH whose answer is lost: Clerk applied it now, never got it, or gets it later.</summary>
    private string DecideFate()
    {
        var sim = Simulation;
        if (sim.Random.Next(3) != 0 && sim.TryFault(Faults.LatePatch, always: true))
        {
            sim.AddLatePatch(Request);
            return "it travels on and lands later";
        }
        if (sim.Random.Next(2) == 0)
        {
            sim.Count(Counter.PatchLandedAtCrash);
            return "Clerk applied it: " + sim.ExecuteOnClerk(Request, late: false).Describe();
        }
        return "it never reached Clerk";
    }

    private void Answer(ClerkAnswer answer, string? effect)
    {
        Finish();
        if (Request.IsPatch)
        {
            Actor.PatchesInFlight--;
            Actor.PatchesAnswered++;
        }
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.StatusCode)
        {
            Content = new StringContent(answer.Body, Encoding.UTF8, "application/json"),
            RequestMessage = _message,
        };
        if (answer.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }
        Simulation.Log($"{Actor} <- {Describe()}: {answer.Describe()}{(effect is null ? "" : $" ({effect})")}");
        _completion.SetResult(response);
    }
}
