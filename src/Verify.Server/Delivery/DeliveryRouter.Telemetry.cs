using Verify.Server.Delivery.Providers;
using Verify.Server.Telemetry;

namespace Verify.Server.Delivery;

// One span per provider tried. Its result is a word: a provider's error text can quote the number.
internal sealed partial class DeliveryRouter
{
    private static Task<SendResult> AttemptAsync(ProviderGate gate, SmsMessage message, ProviderSettings guards, CancellationToken cancellationToken) =>
        VerifyActivitySource.Instance.HasListeners()
            ? AttemptTracedAsync(gate, message, guards, cancellationToken)
            : gate.SendAsync(message, guards, cancellationToken);

    private static async Task<SendResult> AttemptTracedAsync(ProviderGate gate, SmsMessage message, ProviderSettings guards, CancellationToken cancellationToken)
    {
        using var activity = VerifyActivitySource.Instance.StartActivity("verify.delivery.attempt");
        activity?.SetTag(VerifyActivitySource.ProviderTag, gate.Name)
            .SetTag(VerifyActivitySource.VerificationIdTag, message.VerificationId)
            .SetTag(VerifyActivitySource.PurposeTag, message.Purpose)
            .SetTag(VerifyActivitySource.ChannelTag, message.Channel.Name())
            .SetTag(VerifyActivitySource.RegionTag, message.Phone.RegionCode);
        try
        {
            var result = await gate.SendAsync(message, guards, cancellationToken);
            activity?.SetTag(VerifyActivitySource.OutcomeTag, result.Accepted ? "accepted" : result.ProviderFault ? "failed" : "rejected");
            if (!result.Accepted)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            }

            return result;
        }
        catch (Exception exception) when (VerifyActivitySource.Failed(activity, exception))
        {
            throw;
        }
    }
}
