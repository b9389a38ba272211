using Verify.Delivery.Providers;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A receipt store that is down: every receipt fails to be stored.</summary>
internal sealed class ThrowingReceiptSink : IDeliveryReceiptSink
{
    public ValueTask<ReceiptOutcome> ApplyAsync(DeliveryReceipt receipt, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("store down");
}
