using Verify.Delivery.Providers;

namespace Verify.Delivery;

// One span per provider tried. Its result is a word: a provider's error text can quote the number.
internal sealed partial class DeliveryRouter
{
    private static Task<SendResult> AttemptAsync(ProviderGate gate, SmsMessage message, ProviderSettings guards, CancellationToken cancellationToken) =>
        DeliveryActivitySource.Instance.HasListeners()
            ? AttemptTracedAsync(gate, message, guards, cancellationToken)
            : gate.SendAsync(message, guards, cancellationToken);

    private static async Task<SendResult> AttemptTracedAsync(ProviderGate gate, SmsMessage message, ProviderSettings guards, CancellationToken cancellationToken)
    {
        using var activity = DeliveryActivitySource.Instance.StartActivity("verify.delivery.attempt");
        activity?.SetTag(DeliveryActivitySource.ProviderTag, gate.Name)
            .SetTag(DeliveryActivitySource.VerificationIdTag, message.VerificationId)
            .SetTag(DeliveryActivitySource.PurposeTag, message.Purpose)
            .SetTag(DeliveryActivitySource.ChannelTag, message.Channel.Name())
            .SetTag(DeliveryActivitySource.RegionTag, message.Phone.RegionCode);
        try
        {
            var result = await gate.SendAsync(message, guards, cancellationToken);
            activity?.SetTag(DeliveryActivitySource.OutcomeTag, result.Accepted ? "accepted" : result.ProviderFault ? "failed" : "rejected");
            if (!result.Accepted)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            }

            return result;
        }
        catch (Exception exception) when (DeliveryActivitySource.Failed(activity, exception))
        {
            throw;
        }
    }
}
