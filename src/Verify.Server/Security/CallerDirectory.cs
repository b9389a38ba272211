using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Verify.Delivery.Configuration;
using Verify.Engine.Configuration;

namespace Verify.Server.Security;

/// <summary>
/// The configured callers (<c>Verify:Callers</c>), found by API key hash or certificate subject. Like
/// the policies it reloads while Verify runs (<see cref="ReloadingSnapshot{T}"/>): a revoked key stops
/// working at the next call; a reload that fails validation is refused and the last good set stays.
/// </summary>
internal sealed partial class CallerDirectory : IDisposable
{
    public const string SectionName = "Verify:Callers";

    private static readonly CallerOptionsValidator Validator = new();

    private readonly ReloadingSnapshot<Snapshot> _snapshot;

    public CallerDirectory(IConfiguration configuration, ILogger<CallerDirectory> logger) =>
        _snapshot = new("callers", configuration, Build, snapshot => $"{snapshot.ByName.Count} configured", logger);

    /// <summary>Raised after each reload: the section name, and whether the new callers were accepted.</summary>
    public event Action<string, bool>? Reloaded
    {
        add => _snapshot.Reloaded += value;
        remove => _snapshot.Reloaded -= value;
    }

    public int Count => _snapshot.Current.ByName.Count;

    public bool TryFindByKeyHash(string keyHash, [NotNullWhen(true)] out Caller? caller) =>
        _snapshot.Current.ByKeyHash.TryGetValue(keyHash, out caller);

    /// <summary>As <see cref="TryFindByKeyHash(string, out Caller?)"/>, for a hash formatted on the stack (no string per call).</summary>
    public bool TryFindByKeyHash(ReadOnlySpan<char> keyHash, [NotNullWhen(true)] out Caller? caller) =>
        _snapshot.Current.ByKeyHash.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(keyHash, out caller);

    public bool TryFindByName(string name, [NotNullWhen(true)] out Caller? caller) =>
        _snapshot.Current.ByName.TryGetValue(name, out caller);

    public void Dispose() => _snapshot.Dispose();

    public const string NameRule = "a caller name is 1 to 64 of A-Z a-z 0-9 . _ - (the subject CN of its client certificate)";

    public static bool IsValidName(string name) => CallerName().IsMatch(name);

    /// <summary>The callers a configuration describes, or the errors that make it unusable, each naming its key.</summary>
    public static (Snapshot? Snapshot, List<string> Errors) Build(IConfiguration configuration)
    {
        var errors = new List<string>();
        var byName = new Dictionary<string, Caller>(StringComparer.Ordinal);
        var byKeyHash = new Dictionary<string, Caller>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var key = $"{SectionName}:{section.Key}";
            if (!IsValidName(section.Key))
            {
                errors.Add($"{key}: {NameRule}");
                continue;
            }

            var options = new CallerOptions();
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException exception)
            {
                errors.Add($"{key}: {exception.Message}");
                continue;
            }

            var failures = Validator.Validate(options).Errors;
            errors.AddRange(failures.Select(f => $"{key}:{ConfigurationKey.FromPropertyPath(f.PropertyName)}: {f.ErrorMessage}"));
            if (failures.Count > 0)
            {
                continue;
            }

            var caller = ToCaller(section.Key, options);
            byName[caller.Name] = caller;
            foreach (var hash in options.ApiKeyHashes.Select(h => h.ToLowerInvariant()))
            {
                if (!byKeyHash.TryAdd(hash, caller) && byKeyHash[hash] != caller)
                {
                    errors.Add($"{key}:ApiKeyHashes: the same key is configured for {byKeyHash[hash].Name} as well");
                }
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new Snapshot(byName.ToFrozenDictionary(StringComparer.Ordinal), byKeyHash.ToFrozenDictionary(StringComparer.Ordinal)), errors);
    }

    private static Caller ToCaller(string name, CallerOptions options) => new(
        name,
        options.Purposes.ToFrozenSet(StringComparer.Ordinal),
        (options.Operations.Contains("*")
            ? Enum.GetValues<CallerOperation>()
            : options.Operations.Select(o => CallerOptionsValidator.OperationNames[o])).ToFrozenSet(),
        [.. options.Networks.Select(n => IPNetwork.Parse(n))],
        options.Admin);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}\\z")]
    private static partial Regex CallerName();

    internal sealed record Snapshot(FrozenDictionary<string, Caller> ByName, FrozenDictionary<string, Caller> ByKeyHash);
}
