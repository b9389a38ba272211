using FluentValidation;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>"smpp": <see cref="SmppSmsSender"/>, an SMPP v3.4 transceiver session; receipts come over the session, not HTTP.</summary>
internal sealed class SmppProviderType : DeliveryProviderType<SmppOptions>
{
    public const string Name = "smpp";

    public override string Type => Name;

    protected override IValidator<SmppOptions> Validator { get; } = new SmppOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new SmppSmsSender(
        context,
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<SmppSmsSender>>());
}
