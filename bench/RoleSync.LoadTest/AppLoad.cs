namespace RoleSync.LoadTest;

/// <summary>
/// The customer's own app on the same Clerk key: a steady, open-loop stream of GETs (the schedule does not wait for
/// answers), optionally bursting to <see cref="BurstRatePer10Seconds"/> for <see cref="BurstSeconds"/> from the first
/// 10-s window boundary at least <see cref="BurstAfterSeconds"/> after "go".
/// </summary>
public sealed record AppLoad
{
    public const string UserAgent = "CustomerApp/1.0";
    public const string Organization = "org_customer_app";

    public required int RatePer10Seconds { get; init; }
    public int BurstRatePer10Seconds { get; init; }
    public int BurstAfterSeconds { get; init; }
    public int BurstSeconds { get; init; }
}
