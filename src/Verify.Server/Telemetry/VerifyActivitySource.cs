using System.Diagnostics;

namespace Verify.Server.Telemetry;

/// <summary>
/// Verify's spans: <c>verify.start</c>, <c>verify.check</c>, <c>verify.delivery.attempt</c> (one per provider tried)
/// and one per Redis script. Attributes carry ids, purposes, provider names, outcomes and at most the masked number:
/// never a code, never a full phone number, never a Redis key (keys contain numbers).
/// </summary>
internal static class VerifyActivitySource
{
    public const string Name = "Verify";

    public const string PurposeTag = "verify.purpose";
    public const string ChannelTag = "verify.channel";
    public const string MaskedPhoneTag = "verify.phone.masked";
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
