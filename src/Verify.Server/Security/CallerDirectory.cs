using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Verify.Server.Security;

/// <summary>
/// The configured callers (<c>Verify:Callers</c>), found by API key hash or certificate subject. Like
/// the policies it reloads while Verify runs: a revoked key stops working at the next call; a reload
/// that fails validation is refused with a log line per error and the last good set stays.
/// </summary>
internal sealed partial class CallerDirectory : IDisposable
{
    public const string SectionName = "Verify:Callers";

    private static readonly CallerOptionsValidator Validator = new();

    private readonly ILogger<CallerDirectory> _logger;
    private readonly IDisposable _reloadRegistration;
    private volatile Snapshot _snapshot;

    public CallerDirectory(IConfiguration configuration, ILogger<CallerDirectory> logger)
    {
        _logger = logger;
        var (snapshot, errors) = Build(configuration);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid callers: " + string.Join("; ", errors));
        }

        _snapshot = snapshot!;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload(configuration));
    }

    public int Count => _snapshot.ByName.Count;

    public bool TryFindByKeyHash(string keyHash, [NotNullWhen(true)] out Caller? caller) =>
        _snapshot.ByKeyHash.TryGetValue(keyHash, out caller);

    public bool TryFindByName(string name, [NotNullWhen(true)] out Caller? caller) =>
        _snapshot.ByName.TryGetValue(name, out caller);

    public void Dispose() => _reloadRegistration.Dispose();

    /// <summary>The callers a configuration describes, or the errors that make it unusable, each naming its key.</summary>
    public static (Snapshot? Snapshot, List<string> Errors) Build(IConfiguration configuration)
    {
        var errors = new List<string>();
        var byName = new Dictionary<string, Caller>(StringComparer.Ordinal);
        var byKeyHash = new Dictionary<string, Caller>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var key = $"{SectionName}:{section.Key}";
            if (!CallerName().IsMatch(section.Key))
            {
                errors.Add($"{key}: a caller name is 1 to 64 of A-Z a-z 0-9 . _ - (the subject CN of its client certificate)");
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
            errors.AddRange(failures.Select(f => $"{key}:{f.PropertyName}: {f.ErrorMessage}"));
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

    private void Reload(IConfiguration configuration)
    {
        var (snapshot, errors) = Build(configuration);
        if (snapshot is null)
        {
            foreach (var error in errors)
            {
                Log.ReloadRefused(_logger, error);
            }

            return;
        }

        _snapshot = snapshot;
        Log.Reloaded(_logger, snapshot.ByName.Count);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex CallerName();

    internal sealed record Snapshot(FrozenDictionary<string, Caller> ByName, FrozenDictionary<string, Caller> ByKeyHash);

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Error, "Caller configuration reload refused, the previous callers stay in force: {Error}")]
        public static partial void ReloadRefused(ILogger logger, string error);

        [LoggerMessage(701, LogLevel.Information, "Callers reloaded: {Count} configured.")]
        public static partial void Reloaded(ILogger logger, int count);
    }
}
