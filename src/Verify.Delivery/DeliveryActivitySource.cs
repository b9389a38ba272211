using System.Diagnostics;

namespace Verify.Delivery;

/// <summary>
/// The service's one activity source, <c>Verify</c>, and the span attributes delivery's spans
/// (<c>verify.delivery.attempt</c>, one per provider tried) share with the server's. The server's
/// <c>VerifyActivitySource</c> is this source. Attributes carry ids, purposes, provider names, outcomes and
/// regions: never a code, never a full phone number.
/// </summary>
internal static class DeliveryActivitySource
{
    public const string Name = "Verify";

    public const string PurposeTag = "verify.purpose";
    public const string ChannelTag = "verify.channel";
    public const string RegionTag = "verify.phone.region";
    public const string VerificationIdTag = "verify.verification.id";
    public const string OutcomeTag = "verify.outcome";
    public const string ProviderTag = "verify.provider";

    public static ActivitySource Instance { get; } = new(Name);

    /// <summary>
    /// Marks <paramref name="activity"/> failed with the exception's type only (its message may quote input),
    /// and returns false: use it as an exception filter, so the exception goes on unchanged.
    /// </summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", exception.GetType().FullName);
        }

        return false;
    }
}
