using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Verify.Grpc.Internal;

/// <summary>
/// One call over one HTTP/2 stream. It owns the end of the call: whoever ends it first (the handler
/// returning, the handler throwing, the deadline passing, the client going away) writes the status,
/// and nothing is written after that.
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly HttpContext _httpContext;
    private readonly GrpcMethodDescription _method;
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    // Only calls with a deadline need these. The deadline ends the call from a timer thread. Whoever
    // claims the end (_ended, by compare-exchange) writes it, so ends need no lock; the lock keeps the
    // deadline's status from interleaving with a header or streaming write in flight.
    private CancellationTokenSource? _deadlineCancellation;
    private ITimer? _deadlineTimer;
    private SemaphoreSlim? _writeLock;

    // Completed once the deadline has written its status: the request must not finish (and Kestrel
    // must not recycle the HttpContext) while the timer thread still writes to it.
    private TaskCompletionSource? _deadlineEnded;

    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private DateTime _deadline = DateTime.MaxValue;
    private int _ended = Running;

    // Written messages may still sit unflushed in the pipe (HasStarted false): such a call is no
    // longer Trailers-Only.
    private bool _messageWritten;

    public HttpContextServerCallContext(
        HttpContext httpContext, GrpcMethodDescription method, GrpcServiceOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _httpContext = httpContext;
        _method = method;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    public MessageEncoding RequestEncoding { get; private set; }

    public MessageEncoding ResponseEncoding { get; private set; }

    public bool DeadlineExceeded { get; private set; }

    public bool IsEnded => Volatile.Read(ref _ended) != Running;

    public override string Method => _method.Path;

    public override string Host => _httpContext.Request.Host.Value ?? string.Empty;

    public override string Peer => FormatPeer(_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= MetadataCodec.ReadRequestHeaders(_httpContext.Request.Headers);

    public override CancellationToken CancellationToken => _deadlineCancellation?.Token ?? _httpContext.RequestAborted;

    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override HttpContext HttpContext => _httpContext;

    /// <summary>Reads the protocol headers; throws an <see cref="RpcException"/> for an encoding this server lacks.</summary>
    public void Initialize()
    {
        var headers = _httpContext.Request.Headers;
        var timeoutHeader = headers[GrpcProtocolConstants.TimeoutHeader];
        if (!StringValues.IsNullOrEmpty(timeoutHeader))
        {
            if (GrpcTimeout.TryParse(timeoutHeader.ToString(), out var timeout))
            {
                StartDeadline(timeout);
            }
            else
            {
                GrpcServerLog.InvalidTimeoutIgnored(_logger, timeoutHeader.ToString());
            }
        }

        RequestEncoding = ParseRequestEncoding(headers[GrpcProtocolConstants.MessageEncodingHeader]);
        ResponseEncoding = ChooseResponseEncoding(headers[GrpcProtocolConstants.MessageAcceptEncodingHeader]);
    }

    /// <summary>The only request message of a unary or server-streaming call.</summary>
    public ValueTask<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        PipeMessageReader.ReadSingleMessageAsync(_httpContext.Request.BodyReader, parser, RequestEncoding, _options.MaxReceiveMessageSize, CancellationToken);

    /// <summary>The next request message of a streaming call, or null once the client half-closed.</summary>
    public ValueTask<T?> ReadStreamRequestAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T> =>
        PipeMessageReader.ReadMessageAsync(_httpContext.Request.BodyReader, parser, RequestEncoding, _options.MaxReceiveMessageSize, cancellationToken);

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await using var writeScope = await EnterWriteAsync(CancellationToken).ConfigureAwait(false);
        if (IsEnded)
        {
            throw new InvalidOperationException("Can't write the response headers because the call is complete.");
        }

        if (_httpContext.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }

        MetadataCodec.WriteHeaders(_httpContext.Response.Headers, responseHeaders);
        SetResponseProtocolHeaders();
        await _httpContext.Response.StartAsync(CancellationToken).ConfigureAwait(false);
    }

    /// <summary>A unary or client-streaming answer: the message and the status, unless the call already ended.</summary>
    public void EndWithResponse(IMessage response)
    {
        if (!TryClaimEnd())
        {
            return;
        }

        if (Status.StatusCode == StatusCode.OK)
        {
            SetResponseProtocolHeaders();
            PipeMessageWriter.WriteMessage(_httpContext.Response.BodyWriter, response, ResponseEncoding, _options.MaxSendMessageSize);
            _messageWritten = true;
        }

        WriteStatus(Status, exceptionTrailers: null);
    }

    /// <summary>One message of a streaming answer, flushed at once.</summary>
    public async Task WriteStreamMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        await using var writeScope = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        if (IsEnded)
        {
            throw new InvalidOperationException("Can't write the message because the call is complete.");
        }

        SetResponseProtocolHeaders();
        PipeMessageWriter.WriteMessage(_httpContext.Response.BodyWriter, message, ResponseEncoding, _options.MaxSendMessageSize);
        _messageWritten = true;
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken)
            : null;
        await _httpContext.Response.BodyWriter.FlushAsync(linked?.Token ?? CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The handler returned: send <see cref="Status"/> unless the call already ended.</summary>
    public void End()
    {
        if (TryClaimEnd())
        {
            WriteStatus(Status, exceptionTrailers: null);
        }
    }

    /// <summary>The handler or the protocol failed: map the exception to a status, in one place.</summary>
    public void EndWithError(Exception exception)
    {
        if (exception is OperationCanceledException && (DeadlineExceeded || _httpContext.RequestAborted.IsCancellationRequested))
        {
            if (!DeadlineExceeded && TryClaimEnd())
            {
                GrpcServerLog.CallCanceledByClient(_logger, _method.Path);
            }

            return;
        }

        if (_httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client is gone; there is no one to send a status to.
            TryClaimEnd();
            GrpcServerLog.CallCanceledByClient(_logger, _method.Path);
            return;
        }

        Status status;
        Metadata? trailers = null;
        if (exception is RpcException rpcException)
        {
            status = rpcException.Status;
            trailers = rpcException.Trailers;
            GrpcServerLog.RpcErrorReturned(_logger, _method.Path, status.StatusCode);
        }
        else
        {
            var detail = _options.EnableDetailedErrors
                ? $"{GrpcProtocolConstants.UnknownHandlerError} {exception.GetType().Name}: {exception.Message}"
                : GrpcProtocolConstants.UnknownHandlerError;
            status = new Status(StatusCode.Unknown, detail);
            GrpcServerLog.HandlerThrew(_logger, _method.Path, exception);
        }

        if (TryClaimEnd())
        {
            Status = status;
            WriteStatus(status, trailers);
        }
    }

    /// <summary>
    /// The last step of every call, after the handler is done: no deadline may end the call from now
    /// on, and one that already does is waited for, so nothing touches the request after it finished.
    /// </summary>
    public Task CompleteAsync()
    {
        var previous = Interlocked.CompareExchange(ref _ended, EndedByCall, Running);
        return previous == EndedByDeadline ? _deadlineEnded!.Task : Task.CompletedTask;
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _deadlineCancellation?.Dispose();
    }

    private void StartDeadline(TimeSpan timeout)
    {
        _deadline = timeout >= DateTime.MaxValue - _timeProvider.GetUtcNow().UtcDateTime
            ? DateTime.MaxValue
            : _timeProvider.GetUtcNow().UtcDateTime + timeout;

        // Timers cannot wait longer than about 49 days; no call lives that long, so such a deadline is only reported.
        if (timeout > MaxTimerDelay)
        {
            return;
        }

        _deadlineCancellation = CancellationTokenSource.CreateLinkedTokenSource(_httpContext.RequestAborted);
        _deadlineTimer = _timeProvider.CreateTimer(static state => _ = ((HttpContextServerCallContext)state!).OnDeadlineAsync(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private async Task OnDeadlineAsync()
    {
        // Claiming the end first means the handler's own end (response, error, CompleteAsync) sees the
        // call as ended and leaves the response to this method, which it then waits for. The source is
        // published before the claim, so whoever sees EndedByDeadline sees it too.
        _deadlineEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _ended, EndedByDeadline, Running) != Running)
        {
            return;
        }

        try
        {
            DeadlineExceeded = true;
            GrpcServerLog.DeadlineExceeded(_logger, _method.Path);
            Status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");

            // Cancelling first ends a write in flight (flushes wait on this token), which frees the lock.
            _deadlineCancellation!.Cancel();
            await using (await EnterWriteAsync(CancellationToken.None).ConfigureAwait(false))
            {
                WriteStatus(Status, exceptionTrailers: null);
                await _httpContext.Response.CompleteAsync().ConfigureAwait(false);
                _httpContext.Features.Get<IHttpResetFeature>()?.Reset(GrpcProtocolConstants.ResetStreamCancel);
            }
        }
        catch (Exception exception)
        {
            GrpcServerLog.DeadlineEndFailed(_logger, _method.Path, exception);
            _httpContext.Abort();
        }
        finally
        {
            _deadlineEnded!.TrySetResult();
        }
    }

    private bool TryClaimEnd() => Interlocked.CompareExchange(ref _ended, EndedByCall, Running) == Running;

    private void WriteStatus(Status status, Metadata? exceptionTrailers)
    {
        var response = _httpContext.Response;
        if (!response.HasStarted && !_messageWritten)
        {
            // Trailers-Only: one HEADERS frame carries the status and the trailers.
            SetResponseProtocolHeaders();
            var headers = response.Headers;
            headers[GrpcProtocolConstants.StatusTrailer] = StatusCodeText(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail))
            {
                headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(status.Detail);
            }

            MetadataCodec.WriteHeaders(headers, _responseTrailers);
            MetadataCodec.WriteHeaders(headers, exceptionTrailers);
            return;
        }

        response.AppendTrailer(GrpcProtocolConstants.StatusTrailer, StatusCodeText(status.StatusCode));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            response.AppendTrailer(GrpcProtocolConstants.MessageTrailer, PercentEncoding.Encode(status.Detail));
        }

        MetadataCodec.AppendTrailers(response, _responseTrailers);
        MetadataCodec.AppendTrailers(response, exceptionTrailers);
    }

    private void SetResponseProtocolHeaders()
    {
        var response = _httpContext.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocolConstants.GrpcContentType;
        var headers = response.Headers;
        headers[GrpcProtocolConstants.MessageAcceptEncodingHeader] = GrpcProtocolConstants.SupportedEncodings;
        if (ResponseEncoding == MessageEncoding.Gzip)
        {
            headers[GrpcProtocolConstants.MessageEncodingHeader] = GrpcProtocolConstants.GzipEncoding;
        }
    }

    private MessageEncoding ParseRequestEncoding(StringValues value)
    {
        if (StringValues.IsNullOrEmpty(value) || value.ToString().Equals(GrpcProtocolConstants.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return MessageEncoding.Identity;
        }

        if (value.ToString().Equals(GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return MessageEncoding.Gzip;
        }

        throw new RpcException(new Status(
            StatusCode.Unimplemented,
            $"Unsupported grpc-encoding value '{value}'. Supported encodings: {GrpcProtocolConstants.SupportedEncodings}"));
    }

    private MessageEncoding ChooseResponseEncoding(StringValues acceptEncoding)
    {
        var wanted = _options.ResponseCompressionAlgorithm is { } configured
            && configured.Equals(GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase)
                ? MessageEncoding.Gzip
                : RequestEncoding;
        if (wanted == MessageEncoding.Identity)
        {
            return MessageEncoding.Identity;
        }

        foreach (var list in acceptEncoding)
        {
            foreach (var item in (list ?? string.Empty).Split(','))
            {
                if (item.Trim().Equals(GrpcProtocolConstants.GzipEncoding, StringComparison.OrdinalIgnoreCase))
                {
                    return MessageEncoding.Gzip;
                }
            }
        }

        return MessageEncoding.Identity;
    }

    private async ValueTask<WriteScope> EnterWriteAsync(CancellationToken cancellationToken)
    {
        var writeLock = WriteLock;
        if (writeLock is null)
        {
            return default;
        }

        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteScope(writeLock);
    }

    // Made on first use: most calls with a deadline end before it and write nothing but their end.
    private SemaphoreSlim? WriteLock =>
        _deadlineCancellation is null
            ? null
            : Volatile.Read(ref _writeLock) ?? Interlocked.CompareExchange(ref _writeLock, new SemaphoreSlim(1, 1), null) ?? _writeLock;

    private static string StatusCodeText(StatusCode code) => code switch
    {
        StatusCode.OK => "0",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };

    private const int Running = 0;
    private const int EndedByCall = 1;
    private const int EndedByDeadline = 2;

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly struct WriteScope(SemaphoreSlim? semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore?.Release();
            return ValueTask.CompletedTask;
        }
    }
}
