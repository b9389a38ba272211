using System.Collections.Frozen;

namespace Verify.Server.Phones;

/// <summary>
/// Reads <c>calling-codes.csv</c> and <c>nanp-area-codes.csv</c>. The files are hand-written, so every
/// line is checked and the first bad one stops the load with its file name and line number: a typo
/// must fail the first request (and the tests), not quietly accept or reject numbers.
/// </summary>
internal static class CallingCodeTableLoader
{
    public const string CodesFileName = "calling-codes.csv";
    public const string NanpFileName = "nanp-area-codes.csv";
    public const string CodesResourceName = "Verify.Server.Phones." + CodesFileName;
    public const string NanpResourceName = "Verify.Server.Phones." + NanpFileName;

    private const string CodesHeader = "code,region,min_length,max_length,name";
    private const string NanpHeader = "npa,region,place";
    private const int E164MaxDigits = 15;

    public static CallingCodeTable LoadEmbedded()
    {
        using var codes = OpenResource(CodesResourceName);
        using var nanp = OpenResource(NanpResourceName);
        return Parse(codes, CodesFileName, nanp, NanpFileName);
    }

    public static CallingCodeTable Parse(TextReader codes, string codesFileName, TextReader nanp, string nanpFileName) =>
        new(ParseCodes(codes, codesFileName), ParseNanp(nanp, nanpFileName));

    public static StreamReader OpenResource(string name)
    {
        var stream = typeof(CallingCodeTableLoader).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from the assembly.");
        return new StreamReader(stream);
    }

    private static FrozenDictionary<int, CallingCode> ParseCodes(TextReader reader, string fileName)
    {
        var codes = new Dictionary<int, CallingCode>();
        var lines = new Dictionary<int, int>();
        foreach (var row in CsvRows.Read(reader, fileName, CodesHeader))
        {
            var code = ParseNumber(row, 0, "code", minDigits: 1, maxDigits: 3);
            var region = ParseRegion(row, 1);
            var min = ParseNumber(row, 2, "min_length", minDigits: 1, maxDigits: 2);
            var max = ParseNumber(row, 3, "max_length", minDigits: 1, maxDigits: 2);
            var name = ParseText(row, 4, "name");
            var entry = new CallingCode(code, region, min, max, name);

            if (min < 1 || min > max)
            {
                throw row.Error($"min_length {min} and max_length {max} are not a range of 1 or more digits");
            }

            if (entry.Digits + max > E164MaxDigits)
            {
                throw row.Error($"+{code} with {max} digits exceeds the {E164MaxDigits} digits of E.164");
            }

            if (!codes.TryAdd(code, entry))
            {
                throw row.Error($"code {code} already appears on line {lines[code]}");
            }

            lines[code] = row.LineNumber;
        }

        if (codes.Count == 0)
        {
            throw new InvalidDataException($"{fileName}: no calling codes.");
        }

        // E.164 codes are prefix-free; a code that starts another (2 and 27) would make numbers ambiguous.
        foreach (var (code, line) in lines)
        {
            for (var prefix = code / 10; prefix > 0; prefix /= 10)
            {
                if (codes.ContainsKey(prefix))
                {
                    throw new InvalidDataException(
                        $"{fileName} line {line}: code {code} starts with code {prefix} (line {lines[prefix]}); calling codes must be prefix-free.");
                }
            }
        }

        return codes.ToFrozenDictionary();
    }

    private static FrozenDictionary<int, string> ParseNanp(TextReader reader, string fileName)
    {
        var regions = new Dictionary<int, string>();
        var lines = new Dictionary<int, int>();
        foreach (var row in CsvRows.Read(reader, fileName, NanpHeader))
        {
            if (!NanpNumbering.IsValidAreaCode(row.Fields[0]))
            {
                throw row.Error($"npa '{row.Fields[0]}' is not a NANP area code (3 digits, [2-9][0-8][0-9], not N11)");
            }

            var npa = NanpNumbering.AreaCodeOf(row.Fields[0]);
            var region = ParseRegion(row, 1);
            ParseText(row, 2, "place");

            if (region == "US")
            {
                throw row.Error("region US is the default for +1 and must not be listed");
            }

            if (!regions.TryAdd(npa, region))
            {
                throw row.Error($"npa {npa} already appears on line {lines[npa]}");
            }

            lines[npa] = row.LineNumber;
        }

        return regions.ToFrozenDictionary();
    }

    private static int ParseNumber(CsvRow row, int index, string column, int minDigits, int maxDigits)
    {
        var text = row.Fields[index];
        if (text.Length < minDigits || text.Length > maxDigits || text.AsSpan().ContainsAnyExceptInRange('0', '9')
            || (text.Length > 1 && text[0] == '0'))
        {
            throw row.Error($"{column} '{text}' must be {minDigits} to {maxDigits} digits without a leading 0");
        }

        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ParseRegion(CsvRow row, int index)
    {
        var text = row.Fields[index];
        if (text.Length != 2 || text.AsSpan().ContainsAnyExceptInRange('A', 'Z'))
        {
            throw row.Error($"region '{text}' must be an ISO 3166-1 alpha-2 code (two capital letters)");
        }

        return text;
    }

    private static string ParseText(CsvRow row, int index, string column)
    {
        var text = row.Fields[index];
        if (text.Length == 0 || text.Trim().Length != text.Length)
        {
            throw row.Error($"{column} must be non-empty with no surrounding spaces");
        }

        return text;
    }
}
