using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// Sends through an SMPP v3.4 SMSC over one transceiver session kept open in the background: started
/// with the host (without waiting for the SMSC), rebound with exponential backoff and jitter whenever the
/// connection drops or the bind fails, unbound on stop. A send while unbound fails at once, naming why,
/// so the router moves on to the next provider; nothing is queued. Each segment of a text is one
/// submit_sm; the message is sent when every segment got submit_sm_resp with status 0, and its provider
/// message id is the first segment's message_id (receipts for later segments are mapped to it).
/// Delivery receipts arrive as deliver_sm on the same session and go to the receipt sink.
/// </summary>
internal sealed partial class SmppSmsSender : ISmsSender, IHostedService, IAsyncDisposable
{
    /// <summary>How long a stopping sender waits for unbind_resp.</summary>
    public static readonly TimeSpan UnbindWait = TimeSpan.FromSeconds(2);

    /// <summary>How often the live settings are compared with the bound session's.</summary>
    private static readonly TimeSpan SettingsCheck = TimeSpan.FromSeconds(1);

    private readonly ProviderContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger<SmppSmsSender> _logger;
    private readonly SmppSegmentIds _segments;
    private readonly CancellationTokenSource _stopping = new();
    private volatile SmppSession? _session;
    private volatile string _unavailable = "not connected yet";
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _reference = RandomNumberGenerator.GetInt32(256);

    public SmppSmsSender(ProviderContext context, TimeProvider time, ILogger<SmppSmsSender> logger)
    {
        _context = context;
        _time = time;
        _logger = logger;
        _segments = new SmppSegmentIds(time, capacity: 100_000, lifetime: TimeSpan.FromDays(3));
    }

    public string Name => _context.Name;

    /// <summary>Whether a session is bound now (for tests and health).</summary>
    public bool IsBound => _session is { IsOpen: true };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _loop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        if (message.Channel != DeliveryChannel.Sms)
        {
            return SendResult.Rejected("smpp sends SMS only");
        }

        var session = _session;
        if (session is not { IsOpen: true })
        {
            var why = _unavailable;
            Log.NotBound(_logger, _context.Name, message.MaskedTo, why);
            return SendResult.Failure($"smpp not bound to the SMSC ({why})");
        }

        var options = _context.Settings<SmppOptions>();
        var reference = (byte)Interlocked.Increment(ref _reference);
        if (SmppTextEncoder.Encode(message.Text, options.DataCoding, reference) is not { } text)
        {
            return SendResult.Rejected($"smpp text needs more than {SmppTextEncoder.MaxSegments} segments");
        }

        var (sourceTon, sourceNpi) = SourceTonNpi(options);
        var validity = options.ValidityPeriod is { } period ? RelativeTime(period) : string.Empty;
        var ids = new List<string?>(text.Segments.Count);
        for (var i = 0; i < text.Segments.Count; i++)
        {
            var submit = new SmppShortMessage
            {
                ServiceType = options.ServiceType,
                SourceTon = sourceTon,
                SourceNpi = sourceNpi,
                SourceAddress = options.SourceAddress.TrimStart('+'),
                DestinationTon = 1, // international
                DestinationNpi = 1, // E.164
                DestinationAddress = message.Phone.E164.TrimStart('+'),
                EsmClass = text.Concatenated ? SmppShortMessage.UdhIndicator : (byte)0,
                ValidityPeriod = validity,
                RegisteredDelivery = options.RegisteredDelivery ? (byte)1 : (byte)0,
                DataCoding = text.DataCoding,
                Message = text.Segments[i],
            };

            var part = text.Concatenated ? $" (segment {i + 1} of {text.Segments.Count})" : string.Empty;
            SmppPdu response;
            try
            {
                response = await session.RequestAsync(SmppCommandId.SubmitSm, submit.Encode(), windowed: true, cancellationToken);
            }
            catch (SmppException exception)
            {
                Log.SubmitFailed(_logger, _context.Name, message.MaskedTo, exception.Message);
                return SendResult.Failure($"smpp submit_sm{part}: {exception.Message}");
            }

            if (response.Status != SmppCommandStatus.Ok || response.CommandId != SmppCommandId.SubmitSmResp)
            {
                var status = SmppCommandStatus.Describe(response.Status);
                Log.SubmitRefused(_logger, _context.Name, message.MaskedTo, SmppCommandNames.Of(response.CommandId), status);
                return SendResult.Refused(
                    $"smpp submit_sm{part} refused: {SmppCommandNames.Of(response.CommandId)} {status}",
                    response.CommandId == SmppCommandId.SubmitSmResp && SmppCommandStatus.RefusesMessage(response.Status));
            }

            string id;
            try
            {
                id = SmppMessageIdBody.Decode(response.Body.Span);
            }
            catch (SmppFormatException)
            {
                id = string.Empty;
            }

            if (id.Length == 0)
            {
                // Status 0 is the SMSC taking the segment: failing now would send the user a second text
                // through the next provider. Only this segment's receipts cannot be matched.
                Log.NoMessageId(_logger, _context.Name, message.MaskedTo, i + 1, text.Segments.Count);
                ids.Add(null);
                continue;
            }

            ids.Add(SmppMessageIds.FromSubmit(id, options.MessageIdFormat));
        }

        if (ids[0] is { } first)
        {
            foreach (var segmentId in ids.Skip(1))
            {
                if (segmentId is not null)
                {
                    _segments.Remember(segmentId, first);
                }
            }
        }

        Log.Submitted(_logger, _context.Name, message.MaskedTo, ids[0] ?? "-", ids.Count);
        return SendResult.Success(ids[0]);
    }

    /// <summary>Relative validity_period (§7.1.1): "YYMMDDhhmmss000R", here in days, hours, minutes and seconds (at most 7 days).</summary>
    public static string RelativeTime(TimeSpan period) =>
        string.Create(CultureInfo.InvariantCulture, $"0000{period.Days:00}{period.Hours:00}{period.Minutes:00}{period.Seconds:00}000R");

    public static (byte Ton, byte Npi) SourceTonNpi(SmppOptions options)
    {
        var (ton, npi) = options.SourceAddress.Length == 0 ? ((byte)0, (byte)0)
            : SmppOptionsValidator.IsAlphanumeric(options.SourceAddress) ? ((byte)5, (byte)0)
            : ((byte)1, (byte)1);
        return (options.SourceTon ?? ton, options.SourceNpi ?? npi);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            var options = _context.Settings<SmppOptions>();
            var endpoint = SmppEndpoint.From(options);
            SmppSession? session = null;
            try
            {
                Log.Connecting(_logger, _context.Name, endpoint.Host, endpoint.Port, endpoint.UseTls);
                session = await SmppSession.OpenAsync(endpoint, _time, _logger, HandleDeliverSmAsync, stopping);
                Log.Bound(_logger, _context.Name, endpoint.Host, endpoint.Port, endpoint.SystemId, session.SmscSystemId);
                failures = 0;
                _session = session;
                var reason = await WatchAsync(session, stopping);
                _unavailable = $"connection lost: {reason}";
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                Log.Disconnected(_logger, _context.Name, reason);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SmppBindRefusedException exception)
            {
                _unavailable = exception.Message;
                Log.BindRefused(_logger, _context.Name, endpoint.Host, endpoint.Port, endpoint.SystemId, SmppCommandStatus.Describe(exception.Status));
            }
            catch (Exception exception) when (exception is SmppException or SocketException or IOException or AuthenticationException)
            {
                _unavailable = $"SMSC unreachable: {exception.Message}";
                Log.ConnectFailed(_logger, _context.Name, endpoint.Host, endpoint.Port, exception.Message);
            }
            finally
            {
                _session = null;
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }

            var delay = SmppBackoff.Delay(failures++, options.ReconnectMinDelay, options.ReconnectMaxDelay, Random.Shared.NextDouble());
            Log.Reconnecting(_logger, _context.Name, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _unavailable = "stopped";
    }

    /// <summary>Until the session closes (its reason), the settings change (it is unbound) or the sender stops (it is unbound).</summary>
    private async Task<string> WatchAsync(SmppSession session, CancellationToken stopping)
    {
        while (true)
        {
            await Task.WhenAny(session.Closed, Task.Delay(SettingsCheck, _time, stopping));
            if (session.Closed.IsCompleted)
            {
                return await session.Closed;
            }

            if (stopping.IsCancellationRequested)
            {
                Log.Unbinding(_logger, _context.Name);
                _session = null;
                await session.UnbindAsync(UnbindWait < session.Endpoint.ResponseTimeout ? UnbindWait : session.Endpoint.ResponseTimeout);
                return "stopped";
            }

            if (SmppEndpoint.From(_context.Settings<SmppOptions>()) != session.Endpoint)
            {
                Log.SettingsChanged(_logger, _context.Name);
                _session = null;
                await session.UnbindAsync(UnbindWait < session.Endpoint.ResponseTimeout ? UnbindWait : session.Endpoint.ResponseTimeout);
                return "settings changed";
            }
        }
    }

    private async Task HandleDeliverSmAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        SmppShortMessage deliverSm;
        try
        {
            deliverSm = SmppShortMessage.Decode(body.Span);
        }
        catch (SmppFormatException exception)
        {
            Log.DeliverSmMalformed(_logger, _context.Name, exception.Message);
            return;
        }

        if (!SmppReceiptParser.IsReceipt(deliverSm))
        {
            Log.MobileOriginatedIgnored(_logger, _context.Name);
            return;
        }

        if (SmppReceiptParser.Parse(deliverSm) is not { } receipt)
        {
            Log.ReceiptUnreadable(_logger, _context.Name);
            return;
        }

        var format = _context.Settings<SmppOptions>().MessageIdFormat;
        var messageId = _segments.Resolve(SmppMessageIds.FromReceipt(receipt.MessageId, format));
        var status = Printable(receipt.Error is { } error && error.Trim('0').Length > 0 ? $"{receipt.Stat} err:{error}" : receipt.Stat);
        if (receipt.State is not { } state)
        {
            Log.ReceiptIgnored(_logger, _context.Name, messageId, status);
            return;
        }

        var outcome = await _context.Receipts.ApplyAsync(new DeliveryReceipt(_context.Name, messageId, state) { ProviderStatus = status }, cancellationToken);
        Log.ReceiptApplied(_logger, _context.Name, messageId, state, status, outcome);
    }

    private static string Printable(string value)
    {
        var printable = new string(value.Where(c => c is >= ' ' and <= '~').Take(40).ToArray());
        return printable.Length == 0 ? "?" : printable;
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "SMPP {Provider}: connecting to {Host}:{Port} (TLS {Tls}).")]
        public static partial void Connecting(ILogger logger, string provider, string host, int port, bool tls);

        [LoggerMessage(401, LogLevel.Information, "SMPP {Provider}: bound as transceiver to {Host}:{Port} as {SystemId} (SMSC {SmscSystemId}).")]
        public static partial void Bound(ILogger logger, string provider, string host, int port, string systemId, string smscSystemId);

        [LoggerMessage(402, LogLevel.Error, "SMPP {Provider}: {Host}:{Port} refused the bind of {SystemId}: {Status}.")]
        public static partial void BindRefused(ILogger logger, string provider, string host, int port, string systemId, string status);

        [LoggerMessage(403, LogLevel.Warning, "SMPP {Provider}: cannot connect to {Host}:{Port}: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string provider, string host, int port, string reason);

        [LoggerMessage(404, LogLevel.Warning, "SMPP {Provider}: session ended: {Reason}.")]
        public static partial void Disconnected(ILogger logger, string provider, string reason);

        [LoggerMessage(405, LogLevel.Information, "SMPP {Provider}: reconnecting in {Seconds:0.0} s.")]
        public static partial void Reconnecting(ILogger logger, string provider, double seconds);

        [LoggerMessage(406, LogLevel.Information, "SMPP {Provider}: unbinding.")]
        public static partial void Unbinding(ILogger logger, string provider);

        [LoggerMessage(407, LogLevel.Information, "SMPP {Provider}: settings changed, binding again.")]
        public static partial void SettingsChanged(ILogger logger, string provider);

        [LoggerMessage(408, LogLevel.Warning, "SMPP {Provider}: not bound, the message to {MaskedTo} goes elsewhere ({Reason}).")]
        public static partial void NotBound(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(409, LogLevel.Warning, "SMPP {Provider}: the SMSC refused the message to {MaskedTo}: {Command} {Status}.")]
        public static partial void SubmitRefused(ILogger logger, string provider, string maskedTo, string command, string status);

        [LoggerMessage(410, LogLevel.Warning, "SMPP {Provider}: submit_sm to {MaskedTo} failed: {Reason}.")]
        public static partial void SubmitFailed(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(411, LogLevel.Debug, "SMPP {Provider}: the message to {MaskedTo} was taken as {MessageId} ({Segments} segments).")]
        public static partial void Submitted(ILogger logger, string provider, string maskedTo, string messageId, int segments);

        [LoggerMessage(417, LogLevel.Warning, "SMPP {Provider}: the SMSC took segment {Segment} of {Segments} of the message to {MaskedTo} without a message_id: its receipts cannot be matched.")]
        public static partial void NoMessageId(ILogger logger, string provider, string maskedTo, int segment, int segments);

        [LoggerMessage(412, LogLevel.Debug, "SMPP {Provider}: receipt for {MessageId}: {State} ({Status}), {Outcome}.")]
        public static partial void ReceiptApplied(ILogger logger, string provider, string messageId, DeliveryState state, string status, Providers.ReceiptOutcome outcome);

        [LoggerMessage(413, LogLevel.Debug, "SMPP {Provider}: receipt for {MessageId} with state {Status} says nothing new: ignored.")]
        public static partial void ReceiptIgnored(ILogger logger, string provider, string messageId, string status);

        [LoggerMessage(414, LogLevel.Warning, "SMPP {Provider}: a delivery receipt names no message id or state: ignored.")]
        public static partial void ReceiptUnreadable(ILogger logger, string provider);

        [LoggerMessage(415, LogLevel.Debug, "SMPP {Provider}: a mobile-originated message was acknowledged and ignored.")]
        public static partial void MobileOriginatedIgnored(ILogger logger, string provider);

        [LoggerMessage(416, LogLevel.Warning, "SMPP {Provider}: malformed deliver_sm ({Problem}): acknowledged and ignored.")]
        public static partial void DeliverSmMalformed(ILogger logger, string provider, string problem);
    }
}
