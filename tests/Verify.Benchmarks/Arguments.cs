using System.Globalization;

namespace Verify.Benchmarks;

/// <summary>"--name value" pairs; every option must be read, so a misspelt one fails the run instead of being ignored.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = [];

    private Arguments(Dictionary<string, string> values) => _values = values;

    public static Arguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' at '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Arguments(values);
    }

    public string String(string name, string? fallback = null)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value
            : fallback ?? throw new ArgumentException($"--{name} is required");
    }

    public long Long(string name, long? fallback = null, long min = 0, long max = long.MaxValue)
    {
        var text = String(name, fallback?.ToString(CultureInfo.InvariantCulture));
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be an integer from {min} to {max}, not '{text}'");
        }

        return value;
    }

    public double Double(string name, double? fallback = null, double min = 0, double max = double.MaxValue)
    {
        var text = String(name, fallback?.ToString(CultureInfo.InvariantCulture));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be a number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    public TimeSpan Seconds(string name, double? fallback = null, double min = 0, double max = 3600)
        => TimeSpan.FromSeconds(Double(name, fallback, min, max));

    /// <summary>Call after reading every option of the mode.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
        }
    }
}
