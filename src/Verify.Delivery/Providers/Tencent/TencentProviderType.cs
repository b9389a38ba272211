using FluentValidation;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>"tencent": <see cref="TencentSmsSender"/>, with status callbacks at <see cref="TencentReceiptEndpoint"/>.</summary>
internal sealed class TencentProviderType : DeliveryProviderType<TencentOptions>
{
    public const string Name = "tencent";

    public override string Type => Name;

    protected override IValidator<TencentOptions> Validator { get; } = new TencentOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new TencentSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<TencentSmsSender>>());

    public override IDeliveryReceiptEndpoint? CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new TencentReceiptEndpoint(context, services.GetRequiredService<ILogger<TencentReceiptEndpoint>>());
}
