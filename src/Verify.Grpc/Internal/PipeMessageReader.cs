using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Verify.Grpc.Internal;

/// <summary>
/// Reads length-prefixed messages (1-byte compressed flag, 4-byte big-endian length, payload) from
/// the request body. DATA frames have no relation to message boundaries: a message may span reads
/// and a read may hold several messages.
/// </summary>
internal static class PipeMessageReader
{
    /// <summary>The next message, or null when the client half-closed cleanly between messages.</summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, MessageEncoding encoding, int? maxMessageSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            T? message;
            try
            {
                if (TryReadMessage(ref buffer, parser, encoding, maxMessageSize, out message))
                {
                    reader.AdvanceTo(buffer.Start);
                    return message;
                }
            }
            catch
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return buffer.IsEmpty
                    ? null
                    : throw new RpcException(new Status(StatusCode.Internal, "Incomplete message."));
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException(cancellationToken);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The only message of a unary or server-streaming request: exactly one, no trailing data.</summary>
    public static ValueTask<T> ReadSingleMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, MessageEncoding encoding, int? maxMessageSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        // A unary request usually arrives whole, END_STREAM included, before the handler runs: then
        // it is parsed without an await. Anything else (partial, trailing data, errors) takes the
        // general path below, which reads the same buffer again.
        if (reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            if (result.IsCompleted && !result.IsCanceled)
            {
                try
                {
                    if (TryReadMessage(ref buffer, parser, encoding, maxMessageSize, out var message) && buffer.IsEmpty)
                    {
                        reader.AdvanceTo(buffer.End);
                        return new ValueTask<T>(message!);
                    }
                }
                catch
                {
                    reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                    throw;
                }
            }

            reader.AdvanceTo(result.Buffer.Start);
        }

        return ReadSingleMessageSlowAsync(reader, parser, encoding, maxMessageSize, cancellationToken);
    }

    private static async ValueTask<T> ReadSingleMessageSlowAsync<T>(
        PipeReader reader, MessageParser<T> parser, MessageEncoding encoding, int? maxMessageSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var message = await ReadMessageAsync(reader, parser, encoding, maxMessageSize, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "Request did not contain a message."));

        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var extra = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (extra > 0)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
            }

            if (result.IsCompleted)
            {
                return message;
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    private static bool TryReadMessage<T>(
        ref ReadOnlySequence<byte> buffer, MessageParser<T> parser, MessageEncoding encoding, int? maxMessageSize, out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        if (buffer.Length < GrpcProtocolConstants.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocolConstants.HeaderSize];
        buffer.Slice(0, GrpcProtocolConstants.HeaderSize).CopyTo(header);
        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, "Unexpected compressed flag value in message header.")),
        };

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)(maxMessageSize ?? int.MaxValue))
        {
            throw MessageTooLarge();
        }

        if (buffer.Length < GrpcProtocolConstants.HeaderSize + length)
        {
            return false;
        }

        var payload = buffer.Slice(GrpcProtocolConstants.HeaderSize, length);
        message = Parse(payload, compressed, parser, encoding, maxMessageSize);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    private static T Parse<T>(ReadOnlySequence<byte> payload, bool compressed, MessageParser<T> parser, MessageEncoding encoding, int? maxMessageSize)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (encoding == MessageEncoding.Identity)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Request sent a compressed message without a grpc-encoding value."));
            }

            var inflated = GzipCompression.Decompress(payload.ToArray(), maxMessageSize ?? int.MaxValue) ?? throw MessageTooLarge();
            return parser.ParseFrom(inflated);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Error parsing the request message."));
        }
        catch (InvalidDataException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Error decompressing the request message."));
        }
    }

    private static RpcException MessageTooLarge() =>
        new(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));
}
