using FluentValidation;

namespace Verify.Delivery.Providers;

/// <summary>"webhook": <see cref="WebhookSmsSender"/>, with receipts at <see cref="WebhookReceiptEndpoint"/> when a SigningSecret is configured.</summary>
internal sealed class WebhookProviderType : DeliveryProviderType<WebhookOptions>
{
    public const string Name = "webhook";

    public override string Type => Name;

    protected override IValidator<WebhookOptions> Validator { get; } = new WebhookOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new WebhookSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<WebhookSmsSender>>());

    /// <summary>Receipts must be signed with the SigningSecret: without one at start, the webhook takes none.</summary>
    public override IDeliveryReceiptEndpoint? CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        context.Settings<WebhookOptions>().SigningSecret is null
            ? null
            : new WebhookReceiptEndpoint(context, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<WebhookReceiptEndpoint>>());
}
