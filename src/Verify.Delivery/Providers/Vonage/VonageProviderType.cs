using FluentValidation;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>"vonage": <see cref="VonageSmsSender"/> (SMS API), <see cref="VonageReceiptEndpoint"/> for delivery receipts.</summary>
internal sealed class VonageProviderType : DeliveryProviderType<VonageOptions>
{
    public const string Name = "vonage";

    public override string Type => Name;

    protected override IValidator<VonageOptions> Validator { get; } = new VonageOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new VonageSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<VonageSmsSender>>());

    public override IDeliveryReceiptEndpoint CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new VonageReceiptEndpoint(context, services.GetRequiredService<ILogger<VonageReceiptEndpoint>>());
}
