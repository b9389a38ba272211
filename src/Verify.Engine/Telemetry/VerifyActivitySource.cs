using System.Diagnostics;
using Verify.Delivery;

namespace Verify.Engine.Telemetry;

/// <summary>
/// Verify's spans: <c>verify.start</c>, <c>verify.check</c>, <c>verify.delivery.attempt</c> (one per provider tried)
/// and one per Redis script. Attributes carry ids, purposes, provider names, outcomes and at most the masked number:
/// never a code, never a full phone number, never a Redis key (keys contain numbers). One source for the whole
/// service: delivery, below the server, defines it (<see cref="DeliveryActivitySource"/>) and the server's spans use it.
/// </summary>
internal static class VerifyActivitySource
{
    public const string Name = DeliveryActivitySource.Name;

    public const string PurposeTag = DeliveryActivitySource.PurposeTag;
    public const string ChannelTag = DeliveryActivitySource.ChannelTag;
    public const string MaskedPhoneTag = "verify.phone.masked";
    public const string RegionTag = DeliveryActivitySource.RegionTag;
    public const string VerificationIdTag = DeliveryActivitySource.VerificationIdTag;
    public const string OutcomeTag = DeliveryActivitySource.OutcomeTag;
    public const string ProviderTag = DeliveryActivitySource.ProviderTag;

    public static ActivitySource Instance => DeliveryActivitySource.Instance;

    /// <summary>
    /// Marks <paramref name="activity"/> failed with the exception's type only (its message may quote input),
    /// and returns false: use it as an exception filter, so the exception goes on unchanged.
    /// </summary>
    public static bool Failed(Activity? activity, Exception exception) => DeliveryActivitySource.Failed(activity, exception);
}
