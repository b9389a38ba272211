namespace Verify.Server.Phones;

/// <summary>One data line of a CSV file read by <see cref="CsvRows"/>, with where it came from.</summary>
internal readonly record struct CsvRow(string FileName, int LineNumber, string[] Fields)
{
    public InvalidDataException Error(string problem) => new($"{FileName} line {LineNumber}: {problem}.");
}
