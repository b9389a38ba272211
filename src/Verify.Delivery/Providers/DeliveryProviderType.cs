using System.Reflection;
using FluentValidation;
using Verify.Delivery.Configuration;

namespace Verify.Delivery.Providers;

/// <summary>
/// The usual shape of a provider kind: an options class bound from the provider's section and checked
/// by a FluentValidation validator, whose failures come back naming the full configuration key.
/// </summary>
internal abstract class DeliveryProviderType<TOptions> : IDeliveryProviderType
    where TOptions : class, new()
{
    private static readonly string[] PropertyNames = typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(p => p.Name)
        .ToArray();

    public abstract string Type { get; }

    public IReadOnlyCollection<string> Keys => PropertyNames;

    public virtual bool SupportsVoice => false;

    protected abstract IValidator<TOptions> Validator { get; }

    public object Bind(IConfigurationSection section, List<string> problems)
    {
        var options = new TOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            problems.Add($"{section.Path}: {exception.Message}");
            return options;
        }

        problems.AddRange(Validator.Validate(options).Errors
            .Select(f => $"{section.Path}:{ConfigurationKey.FromPropertyPath(f.PropertyName)}: {f.ErrorMessage}"));
        return options;
    }

    public abstract ISmsSender CreateSender(ProviderContext context, IServiceProvider services);

    public virtual IDeliveryReceiptEndpoint? CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) => null;
}
