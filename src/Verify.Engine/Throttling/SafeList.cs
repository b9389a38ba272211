using System.Collections.Frozen;
using Verify.Delivery.Phones;
using Verify.Engine.Configuration;

namespace Verify.Engine.Throttling;

/// <summary>
/// The test numbers of <c>Verify:SafeList</c>, each scoped to purposes and callers. A fixed code for every purpose
/// and caller let any caller approve a payment for such a number with a code anyone who read the
/// configuration knew (issue 12, point 7); a purpose that binds a transaction is refused here and ignored
/// at a start, whatever the list says, since policies reload on their own.
/// </summary>
internal sealed class SafeList
{
    public const string SectionName = "Verify:SafeList";

    public static readonly SafeList Empty = new(FrozenDictionary<string, Entry>.Empty);

    private readonly FrozenDictionary<string, Entry> _entries;

    private SafeList(FrozenDictionary<string, Entry> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>The fixed code of <paramref name="e164"/> when it is a test number for this purpose and caller.</summary>
    public bool TryGetCode(string e164, VerificationPolicy policy, string caller, out string code)
    {
        if (!policy.RequiresTransaction && _entries.TryGetValue(e164, out var entry) && entry.Purposes.Contains(policy.Name) && entry.Callers.Contains(caller))
        {
            code = entry.Code;
            return true;
        }

        code = string.Empty;
        return false;
    }

    /// <summary>Whether <paramref name="e164"/> is a test number for anyone: its approvals say nothing about pumping.</summary>
    public bool Contains(string e164) => _entries.ContainsKey(e164);

    /// <summary>The list a configuration describes; an entry with an error is left out and the error names its key.</summary>
    public static SafeList Bind(IConfiguration configuration, List<string> errors)
    {
        var (policies, _) = PolicyCatalog.Build(configuration);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var key = $"{SectionName}:{section.Key}";
            var options = section.Get<SafeNumberOptions>() ?? new SafeNumberOptions();
            var problems = errors.Count;
            if (!PhoneNumberParser.TryParse(options.Number, out var phone, out var error))
            {
                errors.Add($"{key}:Number: {error}");
            }

            if (options.Code.Length is < 4 or > 10 || !options.Code.All(char.IsAsciiLetterOrDigit))
            {
                errors.Add($"{key}:Code: must be 4 to 10 letters or digits, of the purpose's length and alphabet");
            }

            if (options.Purposes.Count == 0)
            {
                errors.Add($"{key}:Purposes: name at least one purpose the number is a test number for");
            }

            foreach (var purpose in options.Purposes.Where(p => policies?.GetValueOrDefault(p) is { RequiresTransaction: true }))
            {
                errors.Add($"{key}:Purposes: {purpose} binds a transaction; a fixed code would approve any payment, so it takes no test number");
            }

            if (options.Callers.Count == 0)
            {
                errors.Add($"{key}:Callers: name at least one caller that may use the number (\"anonymous\" with authentication off)");
            }

            if (errors.Count == problems)
            {
                entries[phone!.E164] = new Entry(options.Code.ToUpperInvariant(), [.. options.Purposes], [.. options.Callers]);
            }
        }

        return new SafeList(entries.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Entry(string Code, FrozenSet<string> Purposes, FrozenSet<string> Callers);
}
