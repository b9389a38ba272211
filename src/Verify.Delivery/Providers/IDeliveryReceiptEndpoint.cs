namespace Verify.Delivery.Providers;

/// <summary>
/// Takes one provider's delivery receipts at <c>/delivery/receipts/&lt;name&gt;</c> on the Http endpoint
/// (GET or POST, as the provider sends them). It authenticates the request as the provider documents
/// (a signature, a token), answering 401/403 and changing nothing when that fails; reads the receipts,
/// hands each to the <see cref="IDeliveryReceiptSink"/>, and answers what the provider expects.
/// </summary>
internal interface IDeliveryReceiptEndpoint
{
    Task HandleAsync(HttpContext context);
}
