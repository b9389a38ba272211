using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// One bound transceiver session over TCP (or TLS): a read loop that matches responses to requests by
/// sequence number and answers what the SMSC asks (enquire_link, unbind, deliver_sm; generic_nack for
/// anything else), a window of at most <see cref="SmppEndpoint.WindowSize"/> submit_sm awaiting their
/// response, a response timeout per request, and enquire_link whenever the link has been quiet for
/// <see cref="SmppEndpoint.EnquireLinkInterval"/>. A missing enquire_link_resp, a broken stream or a
/// malformed PDU closes the session; <see cref="Closed"/> then completes with the reason, and the sender
/// binds a new one. enquire_link and unbind are not counted in the window, so a full window never stops
/// the link check. deliver_sm are handled off the read loop, at most <see cref="SmppEndpoint.WindowSize"/>
/// at once: with every slot busy the read loop waits for one, so a burst of receipts and a slow receipt
/// store hold back the SMSC (which stops at its own window) instead of piling up tasks without limit.
/// </summary>
internal sealed partial class SmppSession : IAsyncDisposable
{
    private const uint MaxSequence = 0x7FFFFFFF;

    /// <summary>How long a closing session waits for the receipts in hand (their store calls see the session's cancellation).</summary>
    private static readonly TimeSpan ReceiptDrainWait = TimeSpan.FromSeconds(2);

    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly SmppEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task> _onDeliverSm;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _receiptSlots;
    private readonly ConcurrentDictionary<long, Task> _receipts = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<SmppPdu>> _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private long _lastReceived;
    private int _sequence;
    private long _receiptCount;
    private int _closing;

    private SmppSession(TcpClient tcp, Stream stream, SmppEndpoint endpoint, TimeProvider time, ILogger logger, Func<ReadOnlyMemory<byte>, CancellationToken, Task> onDeliverSm)
    {
        _tcp = tcp;
        _stream = stream;
        _endpoint = endpoint;
        _time = time;
        _logger = logger;
        _onDeliverSm = onDeliverSm;
        _window = new SemaphoreSlim(endpoint.WindowSize, endpoint.WindowSize);
        _receiptSlots = new SemaphoreSlim(endpoint.WindowSize, endpoint.WindowSize);
        _lastReceived = time.GetTimestamp();
    }

    /// <summary>Completes, with the reason, when the session has closed.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>The SMSC's system_id from bind_transceiver_resp.</summary>
    public string SmscSystemId { get; private set; } = string.Empty;

    public SmppEndpoint Endpoint => _endpoint;

    /// <summary>
    /// Connects, negotiates TLS when configured (the SMSC's certificate is validated against the host
    /// name), and binds as a transceiver. Connecting and binding each get the response timeout.
    /// </summary>
    /// <param name="onDeliverSm">Reads each deliver_sm body; it is answered with deliver_sm_resp (status 0) once this returns, whatever happened.</param>
    public static async Task<SmppSession> OpenAsync(SmppEndpoint endpoint, TimeProvider time, ILogger logger, Func<ReadOnlyMemory<byte>, CancellationToken, Task> onDeliverSm, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            Stream stream;
            using (var timeout = new CancellationTokenSource(endpoint.ResponseTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
            {
                try
                {
                    await tcp.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token);
                    stream = tcp.GetStream();
                    if (endpoint.UseTls)
                    {
                        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                        stream = tls;
                        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, linked.Token);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SmppException($"connect timed out after {endpoint.ResponseTimeout.TotalSeconds:0.###} s");
                }
            }

            var session = new SmppSession(tcp, stream, endpoint, time, logger, onDeliverSm);
            session._readLoop = session.ReadLoopAsync();
            try
            {
                var bind = new SmppBindTransceiver(endpoint.SystemId, endpoint.Password, endpoint.SystemType);
                var response = await session.RequestAsync(SmppCommandId.BindTransceiver, bind.Encode(), windowed: false, cancellationToken);
                if (response.Status != SmppCommandStatus.Ok)
                {
                    throw new SmppBindRefusedException(response.Status);
                }

                if (response.CommandId != SmppCommandId.BindTransceiverResp)
                {
                    throw new SmppException($"bind_transceiver answered with {SmppCommandNames.Of(response.CommandId)}");
                }

                session.SmscSystemId = SmppBindTransceiver.DecodeResponse(response.Body.Span);
                session._keepAlive = session.KeepAliveAsync();
                return session;
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a request and waits for the response with the same sequence number (or a generic_nack), at
    /// most the response timeout. <paramref name="windowed"/> requests first wait for a free window slot.
    /// </summary>
    /// <exception cref="SmppResponseTimeoutException">No answer in time.</exception>
    /// <exception cref="SmppConnectionLostException">The session closed first.</exception>
    public async Task<SmppPdu> RequestAsync(SmppCommandId command, byte[] body, bool windowed, CancellationToken cancellationToken)
    {
        if (windowed)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
            try
            {
                await _window.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SmppConnectionLostException(CloseReason);
            }
        }

        var sequence = NextSequence();
        var response = new TaskCompletionSource<SmppPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[sequence] = response;
        try
        {
            if (!IsOpen)
            {
                throw new SmppConnectionLostException(CloseReason);
            }

            // One deadline for writing and answering: a write stuck behind a peer that stopped reading
            // counts against the response timeout too.
            var exchange = WriteThenWaitAsync(SmppPdu.Request(command, sequence, body), response.Task);
            try
            {
                return await exchange.WaitAsync(_endpoint.ResponseTimeout, _time, cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                _ = exchange.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }
        }
        catch (TimeoutException)
        {
            throw new SmppResponseTimeoutException(command, _endpoint.ResponseTimeout);
        }
        finally
        {
            _pending.TryRemove(sequence, out _);
            if (windowed)
            {
                _window.Release();
            }
        }
    }

    /// <summary>Sends unbind, waits at most <paramref name="wait"/> for unbind_resp, and closes.</summary>
    public async Task UnbindAsync(TimeSpan wait)
    {
        if (IsOpen)
        {
            try
            {
                await RequestAsync(SmppCommandId.Unbind, [], windowed: false, CancellationToken.None).WaitAsync(wait, _time);
            }
            catch (Exception exception) when (exception is SmppException or TimeoutException)
            {
                Log.UnbindUnanswered(_logger, exception.Message);
            }
        }

        Close("unbound");
    }

    public async ValueTask DisposeAsync()
    {
        Close("closed");
        await Task.WhenAll(_readLoop, _keepAlive);
        try
        {
            await Task.WhenAll(_receipts.Values).WaitAsync(ReceiptDrainWait, _time);
        }
        catch (TimeoutException)
        {
            // A receipt store that ignores cancellation must not hold up the reconnect; the SMSC sends
            // what was not acknowledged again on the next session.
            Log.ReceiptsStillRunning(_logger, _receipts.Count);
        }
    }

    /// <summary>deliver_sm being handled now (for tests).</summary>
    internal int ReceiptsInHand => _receipts.Count;

    private string CloseReason => _closed.Task.IsCompleted ? _closed.Task.Result : "closing";

    private uint NextSequence()
    {
        // 1..0x7FFFFFFF (§5.1.4), then round again.
        while (true)
        {
            var current = Volatile.Read(ref _sequence);
            var next = current >= (int)MaxSequence ? 1 : current + 1;
            if (Interlocked.CompareExchange(ref _sequence, next, current) == current)
            {
                return (uint)next;
            }
        }
    }

    private async Task WriteAsync(SmppPdu pdu)
    {
        var bytes = pdu.Encode();
        try
        {
            await _writeLock.WaitAsync(_lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            throw new SmppConnectionLostException(CloseReason);
        }

        try
        {
            await _stream.WriteAsync(bytes, _lifetime.Token);
            await _stream.FlushAsync(_lifetime.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close($"write failed: {exception.Message}");
            throw new SmppConnectionLostException(CloseReason);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SmppPdu> WriteThenWaitAsync(SmppPdu request, Task<SmppPdu> response)
    {
        await WriteAsync(request);
        return await response;
    }

    private async Task ReadLoopAsync()
    {
        string reason;
        try
        {
            while (true)
            {
                var pdu = await SmppPdu.ReadAsync(_stream, _lifetime.Token);
                if (pdu is null)
                {
                    reason = "the SMSC closed the connection";
                    break;
                }

                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                if (await DispatchAsync(pdu) is { } end)
                {
                    reason = end;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            reason = "closed";
        }
        catch (SmppFormatException exception)
        {
            // The stream is out of step: nothing after this can be trusted to start a PDU.
            Log.MalformedPdu(_logger, exception.Message);
            reason = $"malformed PDU: {exception.Message}";
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or SmppException)
        {
            reason = $"read failed: {exception.Message}";
        }

        Close(reason);
    }

    /// <summary>Handles one PDU from the SMSC; a non-null answer ends the session with that reason.</summary>
    private async Task<string?> DispatchAsync(SmppPdu pdu)
    {
        if (pdu.IsResponse)
        {
            if (_pending.TryRemove(pdu.Sequence, out var waiting))
            {
                waiting.TrySetResult(pdu);
            }
            else
            {
                Log.UnmatchedResponse(_logger, SmppCommandNames.Of(pdu.CommandId), pdu.Sequence);
            }

            return null;
        }

        switch (pdu.CommandId)
        {
            case SmppCommandId.EnquireLink:
                await WriteAsync(SmppPdu.Response(SmppCommandId.EnquireLinkResp, pdu.Sequence));
                return null;
            case SmppCommandId.Unbind:
                await WriteAsync(SmppPdu.Response(SmppCommandId.UnbindResp, pdu.Sequence));
                return "the SMSC unbound";
            case SmppCommandId.DeliverSm:
                // With every slot busy this waits, and the SMSC waits with it: a bounded backlog, not an unbounded one.
                await _receiptSlots.WaitAsync(_lifetime.Token);
                Track(AnswerDeliverSmAsync(pdu));
                return null;
            case SmppCommandId.AlertNotification:
                return null;
            default:
                Log.UnknownCommand(_logger, SmppCommandNames.Of(pdu.CommandId));
                await WriteAsync(SmppPdu.Response(SmppCommandId.GenericNack, pdu.Sequence, SmppCommandStatus.InvalidCommandId));
                return null;
        }
    }

    /// <summary>Keeps a receipt task until it ends, so that closing can wait for it.</summary>
    private void Track(Task task)
    {
        var id = Interlocked.Increment(ref _receiptCount);
        _receipts[id] = task;
        _ = task.ContinueWith(_ => _receipts.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Off the read loop, so a slow receipt store never holds up submit_sm_resp behind it; holds one receipt slot until done.</summary>
    private async Task AnswerDeliverSmAsync(SmppPdu pdu)
    {
        // Off the read loop's own call stack, so that a store that completes synchronously does not run inside it.
        await Task.Yield();
        try
        {
            await HandleDeliverSmAsync(pdu);
        }
        finally
        {
            _receiptSlots.Release();
        }
    }

    private async Task HandleDeliverSmAsync(SmppPdu pdu)
    {
        try
        {
            await _onDeliverSm(pdu.Body, _lifetime.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.DeliverSmFailed(_logger, exception);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await WriteAsync(SmppPdu.Response(SmppCommandId.DeliverSmResp, pdu.Sequence, SmppCommandStatus.Ok, SmppMessageIdBody.Encode(string.Empty)));
        }
        catch (SmppConnectionLostException)
        {
            // The SMSC sends the unacknowledged deliver_sm again on the next session.
        }
    }

    private async Task KeepAliveAsync()
    {
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastReceived));
                if (quiet < _endpoint.EnquireLinkInterval)
                {
                    await Task.Delay(_endpoint.EnquireLinkInterval - quiet, _time, _lifetime.Token);
                    continue;
                }

                try
                {
                    await RequestAsync(SmppCommandId.EnquireLink, [], windowed: false, _lifetime.Token);
                }
                catch (SmppResponseTimeoutException)
                {
                    Log.EnquireLinkUnanswered(_logger, _endpoint.ResponseTimeout.TotalSeconds);
                    Close("enquire_link unanswered");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SmppConnectionLostException)
        {
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        _closed.TrySetResult(reason);
        _lifetime.Cancel();
        _stream.Dispose();
        _tcp.Dispose();
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new SmppConnectionLostException(reason));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(420, LogLevel.Warning, "SMPP enquire_link unanswered within {Seconds} s: the connection is taken as dead.")]
        public static partial void EnquireLinkUnanswered(ILogger logger, double seconds);

        [LoggerMessage(421, LogLevel.Warning, "SMPP PDU from the SMSC is malformed ({Problem}): closing the connection.")]
        public static partial void MalformedPdu(ILogger logger, string problem);

        [LoggerMessage(422, LogLevel.Debug, "SMPP {Command} with sequence {Sequence} matches no request (it came after its timeout).")]
        public static partial void UnmatchedResponse(ILogger logger, string command, uint sequence);

        [LoggerMessage(423, LogLevel.Information, "SMPP {Command} from the SMSC is not supported: answered generic_nack.")]
        public static partial void UnknownCommand(ILogger logger, string command);

        [LoggerMessage(424, LogLevel.Error, "SMPP deliver_sm could not be handled; it is acknowledged anyway.")]
        public static partial void DeliverSmFailed(ILogger logger, Exception exception);

        [LoggerMessage(426, LogLevel.Warning, "SMPP session closed with {Count} delivery receipt(s) still being handled; they are acknowledged on no session, so the SMSC sends them again.")]
        public static partial void ReceiptsStillRunning(ILogger logger, int count);

        [LoggerMessage(425, LogLevel.Information, "SMPP unbind was not answered: {Reason}")]
        public static partial void UnbindUnanswered(ILogger logger, string reason);
    }
}
