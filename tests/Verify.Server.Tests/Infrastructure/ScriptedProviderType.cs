using System.Collections.Concurrent;
using FluentValidation;
using Verify.Delivery;
using Verify.Delivery.Providers;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>Type "scripted": each configured provider is the <see cref="ScriptedSmsSender"/> of its name (made on first use).</summary>
internal sealed class ScriptedProviderType : DeliveryProviderType<ScriptedProviderType.NoOptions>
{
    private readonly ConcurrentDictionary<string, ScriptedSmsSender> _senders = new();

    public override string Type => "scripted";

    public override bool SupportsVoice => true;

    protected override IValidator<NoOptions> Validator { get; } = new InlineValidator<NoOptions>();

    public ScriptedSmsSender Sender(string name) => _senders.GetOrAdd(name, n => new ScriptedSmsSender(n));

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => Sender(context.Name);

    internal sealed class NoOptions;
}
