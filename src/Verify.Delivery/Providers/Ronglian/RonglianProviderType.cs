using FluentValidation;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>"ronglian": <see cref="RonglianSmsSender"/>. No receipt endpoint: see docs/providers/ronglian.md.</summary>
internal sealed class RonglianProviderType : DeliveryProviderType<RonglianOptions>
{
    public const string Name = "ronglian";

    public override string Type => Name;

    protected override IValidator<RonglianOptions> Validator { get; } = new RonglianOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new RonglianSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<RonglianSmsSender>>());
}
