using FluentValidation;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>"huawei": <see cref="HuaweiSmsSender"/>, with status reports at <see cref="HuaweiReceiptEndpoint"/>.</summary>
internal sealed class HuaweiProviderType : DeliveryProviderType<HuaweiOptions>
{
    public const string Name = "huawei";

    public override string Type => Name;

    protected override IValidator<HuaweiOptions> Validator { get; } = new HuaweiOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new HuaweiSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<HuaweiSmsSender>>());

    /// <summary>Always there: it refuses everything until a ReceiptToken is configured, so adding one needs no restart.</summary>
    public override IDeliveryReceiptEndpoint CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new HuaweiReceiptEndpoint(context, services.GetRequiredService<ILogger<HuaweiReceiptEndpoint>>());
}
