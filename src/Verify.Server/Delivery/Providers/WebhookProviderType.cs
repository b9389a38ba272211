using FluentValidation;

namespace Verify.Server.Delivery.Providers;

/// <summary>"webhook": <see cref="WebhookSmsSender"/>.</summary>
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
}
