namespace Verify.Server.Phones;

/// <summary>
/// The data lines of a small hand-written CSV file: '#' starts a comment line, blank lines are
/// skipped, the first other line must be the expected header and every row must have the header's
/// column count. No quoting, so no field may contain a comma.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<CsvRow> Read(TextReader reader, string fileName, string header)
    {
        var columns = header.Split(',').Length;
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!sawHeader)
            {
                if (line != header)
                {
                    throw new InvalidDataException($"{fileName} line {lineNumber}: expected the header '{header}'.");
                }

                sawHeader = true;
                continue;
            }

            var fields = line.Split(',');
            var row = new CsvRow(fileName, lineNumber, fields);
            if (fields.Length != columns)
            {
                throw row.Error($"expected {columns} comma-separated fields, found {fields.Length}");
            }

            yield return row;
        }

        if (!sawHeader)
        {
            throw new InvalidDataException($"{fileName}: the header '{header}' is missing.");
        }
    }
}
