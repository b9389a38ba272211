using FluentValidation;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>"chuanglan": <see cref="ChuanglanSmsSender"/>, with status reports at <see cref="ChuanglanReceiptEndpoint"/>.</summary>
internal sealed class ChuanglanProviderType : DeliveryProviderType<ChuanglanOptions>
{
    public const string Name = "chuanglan";

    public override string Type => Name;

    protected override IValidator<ChuanglanOptions> Validator { get; } = new ChuanglanOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new ChuanglanSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<ILogger<ChuanglanSmsSender>>());

    /// <summary>Always there: it refuses everything until a ReceiptToken is configured, so adding one needs no restart.</summary>
    public override IDeliveryReceiptEndpoint CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new ChuanglanReceiptEndpoint(context, services.GetRequiredService<ILogger<ChuanglanReceiptEndpoint>>());
}
