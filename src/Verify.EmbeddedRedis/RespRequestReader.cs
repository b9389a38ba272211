using System.Text;

namespace Verify.EmbeddedRedis;

/// <summary>
/// Reads commands as clients send them: an array of bulk strings (RESP2), or an inline line of words
/// (what a person types into a raw connection).
/// </summary>
internal sealed class RespRequestReader(Stream input)
{
    private const int MaxArguments = 1024 * 1024;
    private const int MaxBulkBytes = 512 * 1024 * 1024;

    private readonly BufferedStream _input = new(input, 64 * 1024);

    /// <summary>The next command's arguments, or null when the client has closed the connection.</summary>
    public async Task<byte[][]?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            return null;
        }

        if (line.Length == 0 || line[0] != '*')
        {
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Encoding.UTF8.GetBytes).ToArray();
        }

        var count = ParseLength(line, MaxArguments);
        var arguments = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException();
            if (header.Length == 0 || header[0] != '$')
            {
                throw new InvalidDataException("Protocol error: expected '$'.");
            }

            var length = ParseLength(header, MaxBulkBytes);
            var value = new byte[length + 2];
            await _input.ReadExactlyAsync(value, cancellationToken).ConfigureAwait(false);
            arguments[i] = value[..length];
        }

        return arguments;
    }

    private static int ParseLength(string line, int max) =>
        int.TryParse(line.AsSpan(1), out var length) && length >= 0 && length <= max
            ? length
            : throw new InvalidDataException("Protocol error: invalid length.");

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await _input.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return line.Length == 0 ? null : throw new EndOfStreamException();
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            if (line.Length > 64 * 1024)
            {
                throw new InvalidDataException("Protocol error: line too long.");
            }

            line.Append((char)one[0]);
        }
    }
}
