using System.Text;

namespace Verify.EmbeddedRedis;

/// <summary>
/// Reads commands as clients send them: an array of bulk strings (RESP2), or an inline line of words
/// (what a person types into a raw connection). A command's size is bounded before anything is allocated
/// for it: tightly until the connection has authenticated (as Redis does since CVE-2021-32675, so a client
/// without the password cannot make the server allocate), and to what Verify's store sends after.
/// </summary>
internal sealed class RespRequestReader(Stream input)
{
    private const int UnauthenticatedArguments = 10;
    private const int UnauthenticatedBytes = 16 * 1024;
    private const int MaxArguments = 4096;

    /// <summary>All of a command's bulk strings together; Verify's largest is a script's text (tens of KB).</summary>
    private const int MaxCommandBytes = 16 * 1024 * 1024;

    private readonly BufferedStream _input = new(input, 64 * 1024);

    /// <summary>Whether the connection has authenticated, which lifts the tight limits.</summary>
    public bool Authenticated { get; set; }

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

        var count = ParseLength(line, Authenticated ? MaxArguments : UnauthenticatedArguments);
        var budget = Authenticated ? MaxCommandBytes : UnauthenticatedBytes;
        var arguments = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException();
            if (header.Length == 0 || header[0] != '$')
            {
                throw new InvalidDataException("Protocol error: expected '$'.");
            }

            var length = ParseLength(header, budget);
            budget -= length;
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
