using System.Security.Cryptography;
using Verify.Server.Codes;
using Verify.Server.Delivery;
using Verify.Server.Messages;
using Verify.Server.Storage;

namespace Verify.Server.Verification;

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
    TimeProvider timeProvider,
    ILogger<Verifier> logger)
{
    public async Task<StartOutcome> StartAsync(StartInput input, CancellationToken cancellationToken)
    {
        var policy = input.Policy;
        var now = timeProvider.GetUtcNow();
        var code = CodeGenerator.Generate(policy.Alphabet, policy.CodeLength);
        var transaction = input.Transaction;
        var rendered = templates.Render(policy.Name, input.Locale, new MessageParameters(
            code, (int)Math.Ceiling(policy.Ttl.TotalMinutes), transaction?.DisplayAmount, transaction?.Currency, transaction?.Payee));

        StoredCode StoreCodeFor(string id) => new(
            hasher.ActiveKeyId, hasher.HashCode(id, code, transaction), now + policy.Ttl, hasher.FingerprintTransaction(id, transaction));

        var newId = VerificationId.New(input.Phone.E164, policy.Name);
        var result = await store.StartAsync(
            new StartCommand
            {
                NewId = newId,
                PhoneNumber = input.Phone.E164,
                Purpose = policy.Name,
                Locale = rendered.Locale,
                ClientIp = input.ClientIp,
                IdempotencyKey = input.IdempotencyKey,
                Now = now,
                Policy = policy,
                SendId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                CodeForNewId = StoreCodeFor(newId),
                CodeForExistingId = StoreCodeFor,
                Owner = input.Owner,
            },
            cancellationToken);

        switch (result)
        {
            case StartResult.Replayed replayed:
                Log.Replayed(logger, replayed.Record.Id, input.Phone.Masked, policy.Name);
                return new StartOutcome.Started(replayed.Record, Replayed: true);
            case StartResult.Throttled throttled:
                Log.Throttled(logger, input.Phone.Masked, policy.Name, throttled.Subject, throttled.RetryAfter);
                return new StartOutcome.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter);
        }

        var stored = (StartResult.Stored)result;
        var record = stored.Record;
        var sent = await SendAsync(input, rendered, record, cancellationToken);
        var outcome = new SendOutcome { Start = stored, ClientIp = input.ClientIp, Delivered = sent.Accepted };

        // The outcome is recorded even if the caller has gone: a refund must not be lost to its deadline.
        await store.CompleteSendAsync(outcome, timeProvider.GetUtcNow(), CancellationToken.None);
        if (!sent.Accepted)
        {
            Log.SendFailed(logger, record.Id, input.Phone.Masked, sender.Name, sent.Error ?? "unknown");
            return new StartOutcome.SendFailed(sent.Error ?? "the SMS channel refused the message");
        }

        Log.Started(logger, record.Id, input.Phone.Masked, policy.Name, record.SendCount, sender.Name);
        return new StartOutcome.Started(record with { DeliveryStatus = DeliveryState.Sent }, Replayed: false);
    }

    public async Task<CheckResult> CheckAsync(CheckInput input, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var id = input.VerificationId
            ?? await store.FindIdAsync(input.Phone!.E164, input.Purpose!, input.Owner, now, cancellationToken);
        if (id is null)
        {
            Log.CheckNotFound(logger);
            return CheckResult.NotFound.Instance;
        }

        var typed = CodeGenerator.Normalize(input.Code);
        var result = await store.CheckAsync(
            new CheckCommand
            {
                Id = id,
                Now = now,
                CodeHashes = hasher.HashCodeWithEveryKey(id, typed, input.Transaction),
                TransactionFingerprints = hasher.FingerprintTransactionWithEveryKey(id, input.Transaction),
                CodeLength = typed.Length,
                FitsDigits = CodeGenerator.Fits(typed, CodeAlphabet.Digits),
                FitsAlphanumeric = CodeGenerator.Fits(typed, CodeAlphabet.Alphanumeric),
                Owner = input.Owner,
            },
            cancellationToken);

        if (result is CheckResult.Checked check)
        {
            Log.Checked(logger, id, check.Valid, check.Record.Status, check.Record.AttemptsRemaining);
        }
        else if (result is CheckResult.NotFound)
        {
            Log.CheckNotFound(logger);
        }

        return result;
    }

    public Task<VerificationRecord?> GetAsync(string id, string owner, CancellationToken cancellationToken) =>
        store.GetAsync(id, owner, timeProvider.GetUtcNow(), cancellationToken).AsTask();

    public async Task<CancelResult> CancelAsync(string id, string owner, CancellationToken cancellationToken)
    {
        var result = await store.CancelAsync(id, owner, timeProvider.GetUtcNow(), cancellationToken);
        if (result is CancelResult.Canceled)
        {
            Log.Canceled(logger, id);
        }

        return result;
    }

    private async Task<SendResult> SendAsync(StartInput input, RenderedMessage rendered, VerificationRecord record, CancellationToken cancellationToken)
    {
        var message = new SmsMessage
        {
            To = input.Phone.E164,
            MaskedTo = input.Phone.Masked,
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
    }
}
