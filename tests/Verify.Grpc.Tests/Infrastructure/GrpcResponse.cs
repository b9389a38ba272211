using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>
/// A response read the way a gRPC client reads it: headers first, then frames one at a time as they
/// arrive, then the status from the trailers (or from the headers for Trailers-Only).
/// </summary>
public sealed class GrpcResponse : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private bool _bodyEnded;

    private GrpcResponse(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    public HttpStatusCode HttpStatus => _response.StatusCode;

    public Version Version => _response.Version;

    public HttpResponseHeaders Headers => _response.Headers;

    /// <summary>The trailers; complete only once the body has been read to its end.</summary>
    public HttpResponseHeaders Trailers => _response.TrailingHeaders;

    public string? ContentType => _response.Content.Headers.ContentType?.ToString();

    public static async Task<GrpcResponse> CreateAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(response, await response.Content.ReadAsStreamAsync(cancellationToken));

    public string? Header(string name) => Single(_response.Headers, name) ?? Single(_response.Content.Headers, name);

    public string? Trailer(string name) => Single(_response.TrailingHeaders, name);

    /// <summary>The next frame, or null at the end of the body.</summary>
    public async Task<GrpcFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[GrpcFraming.HeaderSize];
        var read = await _body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            _bodyEnded = true;
            return null;
        }

        if (read < header.Length)
        {
            throw new InvalidDataException($"The body ended inside a frame header ({read} bytes).");
        }

        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await _body.ReadExactlyAsync(payload, cancellationToken);
        return header[0] switch
        {
            0 => new GrpcFrame(false, payload),
            1 => new GrpcFrame(true, payload),
            _ => throw new InvalidDataException($"Compressed flag {header[0]}."),
        };
    }

    /// <summary>The next message, inflated if the frame says so; null at the end of the body.</summary>
    public async Task<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var frame = await ReadFrameAsync(cancellationToken);
        if (frame is null)
        {
            return null;
        }

        if (!frame.Compressed)
        {
            return parser.ParseFrom(frame.Payload);
        }

        if (Header("grpc-encoding") != "gzip")
        {
            throw new InvalidDataException($"A compressed frame arrived with grpc-encoding '{Header("grpc-encoding")}'.");
        }

        return parser.ParseFrom(GrpcFraming.Gunzip(frame.Payload));
    }

    public async Task<List<T>> ReadAllMessagesAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var messages = new List<T>();
        while (await ReadMessageAsync(parser, cancellationToken) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>The status, once the body has ended; fails if a message is still unread.</summary>
    public async Task<GrpcCallStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        if (!_bodyEnded && await ReadFrameAsync(cancellationToken) is not null)
        {
            throw new InvalidOperationException("A message was still unread when the status was asked for.");
        }

        var trailersOnly = _response.Headers.Contains("grpc-status");
        HttpHeaders source = trailersOnly ? _response.Headers : _response.TrailingHeaders;
        var code = Single(source, "grpc-status")
            ?? throw new InvalidDataException("The response carries no grpc-status.");
        var message = Single(source, "grpc-message");
        var details = Single(source, "grpc-status-details-bin");
        return new GrpcCallStatus(
            (StatusCode)int.Parse(code, NumberStyles.None, CultureInfo.InvariantCulture),
            message is null ? null : PercentDecode(message),
            details is null ? null : Google.Rpc.Status.Parser.ParseFrom(GrpcFraming.DecodeBase64(details)),
            trailersOnly);
    }

    public void Dispose()
    {
        _body.Dispose();
        _response.Dispose();
    }

    /// <summary>grpc-message decoding, lenient as the spec asks: a malformed escape stays as it is.</summary>
    public static string PercentDecode(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string? Single(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
