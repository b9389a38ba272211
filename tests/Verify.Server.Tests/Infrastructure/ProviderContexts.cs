using Verify.Delivery.Providers;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A <see cref="ProviderContext"/> over fixed settings, for testing one provider's sender or receipt endpoint.</summary>
internal static class ProviderContexts
{
    public static ProviderContext For<TOptions>(TOptions options, string type, string name = "test-provider", Uri? receiptUrl = null, IDeliveryReceiptSink? receipts = null)
        where TOptions : class =>
        new(name, type, () => options, () => receiptUrl, receipts ?? new CapturingReceiptSink());
}
