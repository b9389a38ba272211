using FluentValidation;

namespace Verify.Delivery.Providers;

/// <summary>"console": <see cref="ConsoleSmsSender"/>, for development only (Production refuses it).</summary>
internal sealed class ConsoleProviderType : DeliveryProviderType<ConsoleProviderType.NoOptions>
{
    public const string Name = "console";

    public override string Type => Name;

    protected override IValidator<NoOptions> Validator { get; } = new InlineValidator<NoOptions>();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new ConsoleSmsSender(Console.Out);

    /// <summary>The console takes no settings of its own.</summary>
    internal sealed class NoOptions;
}
