using System.Globalization;
using System.Text;

namespace Verify.Server.Metrics;

/// <summary>
/// The Prometheus text exposition format (0.0.4): names translated from OpenTelemetry style, escaping and numbers.
/// Translation follows the OpenTelemetry-to-Prometheus compatibility rules, so the names match what the
/// OpenTelemetry Prometheus exporter would produce if Verify ever switches to it.
/// </summary>
internal static class PrometheusFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public const string CounterType = "counter";
    public const string GaugeType = "gauge";
    public const string HistogramType = "histogram";

    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> s_perUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>
    /// The Prometheus name of an instrument: characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c> (runs collapsed),
    /// the unit is appended in words (<c>s</c> → <c>_seconds</c>; <c>{annotations}</c> dropped; <c>1</c> → <c>_ratio</c> on gauges),
    /// and counters end in <c>_total</c>.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, string type)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var isCounter = type == CounterType;
        if (isCounter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            // Removed and put back after the unit, so a counter named "x.total" in seconds is x_seconds_total.
            name = name[..^"_total".Length];
        }

        var unitSuffix = UnitSuffix(unit, type);
        if (unitSuffix.Length > 0 && !name.EndsWith("_" + unitSuffix, StringComparison.Ordinal) && name != unitSuffix)
        {
            name = name.Length == 0 ? unitSuffix : name + "_" + unitSuffix;
        }

        if (isCounter)
        {
            name = name.Length == 0 ? "total" : name + "_total";
        }

        return name.Length > 0 && char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }

    /// <summary>
    /// A tag name as a label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>, other characters become <c>_</c>);
    /// a leading digit or the reserved <c>__</c> gets a <c>key</c> prefix; null for an empty name.
    /// </summary>
    public static string? LabelName(string? tagName)
    {
        if (string.IsNullOrEmpty(tagName))
        {
            return null;
        }

        if (IsValidLabelName(tagName))
        {
            return tagName;
        }

        var name = Sanitize(tagName, allowColon: false);
        if (char.IsAsciiDigit(name[0]))
        {
            return "key_" + name;
        }

        return name.StartsWith("__", StringComparison.Ordinal) ? "key" + name : name;
    }

    /// <summary>True when the name needs no translation: the check on the recording path, so no allocation.</summary>
    public static bool IsValidLabelName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name.StartsWith("__", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A tag value as label text: null is empty, booleans are <c>true</c>/<c>false</c>, numbers are invariant.</summary>
    public static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        double number => FormatDouble(number),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Backslash, double quote and line feed escaped, as label values must be.</summary>
    public static void WriteLabelValue(TextWriter writer, string value) => WriteEscaped(writer, value, escapeQuote: true);

    /// <summary>Backslash and line feed escaped, as HELP text must be.</summary>
    public static void WriteHelp(TextWriter writer, string help) => WriteEscaped(writer, help, escapeQuote: false);

    /// <summary>Shortest round-trip invariant text; infinities and NaN spelled as Prometheus expects.</summary>
    public static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string UnitSuffix(string? unit, string type)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        var trimmed = RemoveAnnotations(unit).Trim();
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        if (trimmed == "1")
        {
            return type == GaugeType ? "ratio" : string.Empty;
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Words(trimmed, s_units);
        }

        var per = Words(trimmed[(slash + 1)..], s_perUnits);
        var of = Words(trimmed[..slash], s_units);
        return per.Length == 0 ? of : of.Length == 0 ? "per_" + per : of + "_per_" + per;
    }

    private static string Words(string unit, Dictionary<string, string> table) =>
        table.TryGetValue(unit, out var words) ? words : Sanitize(unit, allowColon: false).Trim('_');

    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string text, bool allowColon)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        return builder.ToString();
    }

    private static void WriteEscaped(TextWriter writer, string value, bool escapeQuote)
    {
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var escape = value[i] switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '"' when escapeQuote => "\\\"",
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            writer.Write(value.AsSpan(start, i - start));
            writer.Write(escape);
            start = i + 1;
        }

        writer.Write(value.AsSpan(start));
    }
}
