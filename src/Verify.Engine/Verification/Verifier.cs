using System.Security.Cryptography;
using Verify.Engine.Codes;
using Verify.Engine.Limits;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Engine.Messages;
using Verify.Engine.Metrics;
using Verify.Delivery.Phones;
using Verify.Engine.Storage;
using Verify.Engine.Throttling;

namespace Verify.Engine.Verification;

/// <summary>
/// The engine: makes a code, stores only its HMAC with the throttles counted atomically, renders the
/// message and hands it to the sender; checks typed codes. The plaintext code lives only inside
/// <see cref="StartAsync"/>.
/// </summary>
internal sealed partial class Verifier(
    IVerificationStore store,
    ISmsSender sender,
    CodeHasher hasher,
    MessageTemplateCatalog templates,
    PolicyCatalog policies,
    LimitCatalog limits,
    VerifyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<Verifier> logger)
{
    private async Task<StartOutcome> StartCoreAsync(StartInput input, CancellationToken cancellationToken)
    {
        var policy = input.Policy;
        if (!policy.AllowsCountry(input.Phone.RegionCode))
        {
            Log.CountryRefused(logger, input.Phone.Masked, policy.Name, input.Phone.RegionCode);
            return new StartOutcome.Refused($"Codes for {policy.Name} are not sent to numbers in {input.Phone.RegionCode}.");
        }

        if (!policy.AllowsLineType(input.Phone.LineType, input.Channel))
        {
            var channel = input.Channel.Name();
            Log.LineTypeRefused(logger, input.Phone.Masked, policy.Name, input.Phone.LineType, channel);
            return new StartOutcome.LineTypeNotAllowed(
                $"Codes for {policy.Name} are not sent by {channel} to {input.Phone.LineType} numbers.", input.Phone.LineType);
        }

        if (!sender.CanServe(policy.Name, input.Phone.RegionCode, input.Channel))
        {
            return new StartOutcome.ChannelUnavailable(
                $"no provider is configured to {(input.Channel == DeliveryChannel.Voice ? "call" : "text")} numbers in {input.Phone.RegionCode} for {policy.Name}");
        }

        var now = timeProvider.GetUtcNow();
        var settings = limits.Current;
        var safe = settings.SafeNumbers.TryGetCode(input.Phone.E164, policy, input.CallerName, out var safeCode);
        var code = safe ? safeCode : CodeGenerator.Generate(policy.Alphabet, policy.CodeLength);
        var transaction = input.Transaction;
        var rendered = templates.Render(policy.Name, input.Locale, new MessageParameters(
            code, (int)Math.Ceiling(policy.Ttl.TotalMinutes), transaction?.DisplayAmount, transaction?.Currency, transaction?.Payee));

        var bucket = ClientBucket.Of(input.ClientIp, input.CallerName, settings.Options);
        var command = new StartCommand
            {
                NewId = VerificationId.New(input.Phone.E164),
                PhoneNumber = input.Phone.E164,
                Purpose = policy.Name,
                Locale = rendered.Locale,
                ClientIp = bucket,
                IdempotencyKey = input.IdempotencyKey,
                Now = now,
                Policy = policy,
                SendId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                Channel = input.Channel,
                Code = new StoredCode(hasher.ActiveKeyId, hasher.HashCode(code, transaction), now + policy.Ttl, hasher.FingerprintTransaction(transaction)),
                Owner = input.Owner,
                Counters = safe ? [] : settings.CountersFor(input.Phone, input.CallerName),
                Country = input.Phone.RegionCode,
                // One caller's calls without an IP are all its users: their destinations are no sign of pumping.
                CountriesPerIp = ClientBucket.IsWithoutIp(bucket) ? null : settings.CountriesPerIp,
                Safe = safe,
            };
        var result = await store.StartAsync(command, cancellationToken);

        switch (result)
        {
            case StartResult.Replayed replayed:
                Log.Replayed(logger, replayed.Record.Id, input.Phone.Masked, policy.Name);
                return new StartOutcome.Started(replayed.Record, Replayed: true);
            case StartResult.Throttled throttled:
                foreach (var block in throttled.NewBlocks)
                {
                    metrics.PumpingBlock(block[..block.IndexOf(':', StringComparison.Ordinal)]);
                    Log.PumpingBlocked(logger, block, input.Phone.Masked, policy.Name);
                }

                Log.Throttled(logger, input.Phone.Masked, policy.Name, throttled.Subject, throttled.RetryAfter);
                return new StartOutcome.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter);
        }

        var stored = (StartResult.Stored)result;
        var record = stored.Record;
        // A safe-listed test number never reaches a provider.
        SendResult sent;
        try
        {
            sent = safe ? SendResult.Success("safe-list") : await SendAsync(input, rendered, record, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up while a provider had the message: it may have gone out. So nothing is
            // refunded and the code stays valid; the status stays QUEUED and no receipt can name it.
            Log.CallerLeftDuringSend(logger, record.Id, input.Phone.Masked);
            throw;
        }

        var provider = sent.Provider ?? sender.Name;
        if (!safe)
        {
            metrics.SmsSent(provider, sent.Accepted);
        }

        var sentAt = timeProvider.GetUtcNow();
        var outcome = new SendOutcome
        {
            Start = stored,
            Command = command,
            Delivered = sent.Accepted,
            Handoff = sent.Accepted && !safe && sent.ProviderMessageId is { Length: > 0 } messageId
                ? new DeliveryHandoff(provider, messageId, record.Id, record.LastSendId, sentAt, input.Phone.RegionCode) { KeepUntil = sentAt + DeliveryHandoff.ReceiptWindow(policy.Ttl) }
                : null,
        };

        // The outcome is recorded even if the caller has gone: a refund must not be lost to its deadline.
        await store.CompleteSendAsync(outcome, timeProvider.GetUtcNow(), CancellationToken.None);
        if (!sent.Accepted)
        {
            Log.SendFailed(logger, record.Id, input.Phone.Masked, provider, sent.Error ?? "unknown");
            return new StartOutcome.SendFailed(sent.Error ?? "the SMS channel refused the message");
        }

        Log.Started(logger, record.Id, input.Phone.Masked, policy.Name, record.SendCount, provider);
        return new StartOutcome.Started(record with { DeliveryStatus = DeliveryState.Sent }, Replayed: false);
    }

    private async Task<CheckOutcome> CheckCoreAsync(CheckInput input, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var typed = CodeGenerator.Normalize(input.Code);
        var limitOptions = limits.Current.Options;
        var command = new CheckCommand
        {
            Id = input.VerificationId,
            PhoneNumber = input.Phone?.E164,
            Purpose = input.Purpose,
            Now = now,
            Hashes = hasher.HashesWithEveryKey(typed, input.Transaction),
            CodeLength = typed.Length,
            FitsDigits = CodeGenerator.Fits(typed, CodeAlphabet.Digits),
            FitsAlphanumeric = CodeGenerator.Fits(typed, CodeAlphabet.Alphanumeric),
            Owner = input.Owner,
            Lockouts = policies.Lockouts,
            // Only where it is counted: parsing and masking the address is work a check without the limit need not do.
            ClientBucket = limitOptions.WrongCodesPerIp.Count > 0 ? ClientBucket.Of(input.ClientIp, input.CallerName, limitOptions) : null,
            WrongCodesPerIp = limitOptions.WrongCodesPerIp,
        };
        var result = await store.CheckAsync(command, cancellationToken);
        if (result is CheckOutcome.Legacy legacy)
        {
            // A code sent by the release before this one: hashed with its id, which is known now. Asked
            // once more with both forms; the store compares each stored code in its own.
            result = await store.CheckAsync(
                command with { Id = legacy.Id, LegacyHashes = hasher.HashesWithEveryKey(typed, input.Transaction, legacy.Id) },
                cancellationToken);
        }

        switch (result)
        {
            case CheckOutcome.Checked check:
                Log.Checked(logger, check.Record.Id, check.Valid, check.Record.Status, check.Record.AttemptsRemaining);
                if (check.Valid)
                {
                    RecordApproval(check.Record, now);
                }

                break;
            case CheckOutcome.NotFound:
                Log.CheckNotFound(logger);
                break;
        }

        return result;
    }

    public Task<VerificationRecord?> GetAsync(string id, string owner, CancellationToken cancellationToken) =>
        store.GetAsync(id, owner, timeProvider.GetUtcNow(), cancellationToken).AsTask();

    public async Task<CancelOutcome> CancelAsync(string id, string owner, CancellationToken cancellationToken)
    {
        var result = await store.CancelAsync(id, owner, timeProvider.GetUtcNow(), cancellationToken);
        if (result is CancelOutcome.Canceled)
        {
            Log.Canceled(logger, id);
        }

        return result;
    }

    /// <summary>Counts the approval for the pumping guard of the number's prefix and country; not awaited, it only feeds a rate.</summary>
    private void RecordApproval(VerificationRecord record, DateTimeOffset now)
    {
        // A test number's approvals come from the team's own probes: they would hide a block being pumped.
        if (!PhoneNumberParser.TryParse(record.PhoneNumber, out var phone, out _) || limits.Current.SafeNumbers.Contains(phone.E164))
        {
            return;
        }

        var guarded = limits.Current.CountersFor(phone, string.Empty).Where(c => c.Pumping is not null).ToList();
        if (guarded.Count > 0)
        {
            _ = store.RecordApprovalAsync(guarded, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), now, CancellationToken.None).AsTask()
                .ContinueWith(static (task, state) => Log.ApprovalNotCounted((ILogger)state!, task.Exception!.GetBaseException().Message),
                    logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private async Task<SendResult> SendAsync(StartInput input, RenderedMessage rendered, VerificationRecord record, CancellationToken cancellationToken)
    {
        var message = new SmsMessage
        {
            Phone = input.Phone,
            Channel = input.Channel,
            Text = rendered.Text,
            TemplateId = rendered.TemplateId,
            TemplateParameters = rendered.Parameters,
            Signature = templates.Brand,
            VerificationId = record.Id,
            Purpose = record.Purpose,
            Locale = rendered.Locale,
            SendId = record.LastSendId,
        };

        try
        {
            return await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A sender bug must not leave a counted, unsent code behind: treat it as a refused send.
            Log.SenderThrew(logger, record.Id, sender.Name, exception);
            return SendResult.Failure("the SMS channel failed");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Verification {Id} sent to {MaskedPhone} for {Purpose} (send {SendCount}) through {Sender}.")]
        public static partial void Started(ILogger logger, string id, string maskedPhone, string purpose, int sendCount, string sender);

        [LoggerMessage(201, LogLevel.Information, "Start for {MaskedPhone} ({Purpose}) refused by {Subject}; retry in {RetryAfter}.")]
        public static partial void Throttled(ILogger logger, string maskedPhone, string purpose, string subject, TimeSpan retryAfter);

        [LoggerMessage(202, LogLevel.Warning, "Verification {Id} to {MaskedPhone}: {Sender} did not take the message ({Reason}); the send was refunded.")]
        public static partial void SendFailed(ILogger logger, string id, string maskedPhone, string sender, string reason);

        [LoggerMessage(203, LogLevel.Information, "Verification {Id} checked: valid={Valid}, status={Status}, attempts remaining {AttemptsRemaining}.")]
        public static partial void Checked(ILogger logger, string id, bool valid, VerificationState status, int attemptsRemaining);

        [LoggerMessage(204, LogLevel.Information, "Check found no live verification.")]
        public static partial void CheckNotFound(ILogger logger);

        [LoggerMessage(205, LogLevel.Information, "Verification {Id} canceled.")]
        public static partial void Canceled(ILogger logger, string id);

        [LoggerMessage(206, LogLevel.Information, "Start for {MaskedPhone} ({Purpose}) replayed verification {Id} for its idempotency key; nothing sent.")]
        public static partial void Replayed(ILogger logger, string id, string maskedPhone, string purpose);

        [LoggerMessage(207, LogLevel.Error, "Verification {Id}: sender {Sender} threw.")]
        public static partial void SenderThrew(ILogger logger, string id, string sender, Exception exception);

        [LoggerMessage(208, LogLevel.Information, "Start for {MaskedPhone} ({Purpose}) refused: country {Country} is not allowed.")]
        public static partial void CountryRefused(ILogger logger, string maskedPhone, string purpose, string country);

        [LoggerMessage(209, LogLevel.Warning, "Pumping guard: {Subject} blocked after a start to {MaskedPhone} ({Purpose}): many codes sent, few used.")]
        public static partial void PumpingBlocked(ILogger logger, string subject, string maskedPhone, string purpose);

        [LoggerMessage(211, LogLevel.Warning, "Verification {Id} to {MaskedPhone}: the caller gave up while the message was with a provider; the send stays counted and the code valid.")]
        public static partial void CallerLeftDuringSend(ILogger logger, string id, string maskedPhone);

        [LoggerMessage(212, LogLevel.Information, "Start for {MaskedPhone} ({Purpose}) refused: line type {LineType} is not allowed for {Channel}.")]
        public static partial void LineTypeRefused(ILogger logger, string maskedPhone, string purpose, PhoneLineType lineType, string channel);

        [LoggerMessage(210, LogLevel.Warning, "An approval could not be counted for the pumping guard: {Error}")]
        public static partial void ApprovalNotCounted(ILogger logger, string error);
    }
}
