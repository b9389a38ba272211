using FluentValidation;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>"aliyun": <see cref="AliyunSmsSender"/>, with delivery reports at <see cref="AliyunReceiptEndpoint"/>.</summary>
internal sealed class AliyunProviderType : DeliveryProviderType<AliyunOptions>
{
    public const string Name = "aliyun";

    public override string Type => Name;

    protected override IValidator<AliyunOptions> Validator { get; } = new AliyunOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new AliyunSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<AliyunSmsSender>>());

    public override IDeliveryReceiptEndpoint? CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new AliyunReceiptEndpoint(context, services.GetRequiredService<ILogger<AliyunReceiptEndpoint>>());
}
