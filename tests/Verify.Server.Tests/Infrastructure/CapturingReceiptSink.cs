using System.Collections.Concurrent;
using Verify.Delivery.Providers;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>Keeps the receipts a provider's endpoint or sender read, and answers <see cref="Outcome"/>.</summary>
internal sealed class CapturingReceiptSink : IDeliveryReceiptSink
{
    public ConcurrentQueue<DeliveryReceipt> Receipts { get; } = new();

    public ReceiptOutcome Outcome { get; set; } = ReceiptOutcome.Applied;

    public ValueTask<ReceiptOutcome> ApplyAsync(DeliveryReceipt receipt, CancellationToken cancellationToken)
    {
        Receipts.Enqueue(receipt);
        return ValueTask.FromResult(Outcome);
    }
}
