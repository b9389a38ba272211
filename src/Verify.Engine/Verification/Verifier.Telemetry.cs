using System.Diagnostics;
using Verify.Delivery;
using Verify.Engine.Telemetry;

namespace Verify.Engine.Verification;

// The engine's spans. Without a listener (no OTLP endpoint configured) the calls go straight to the work,
// without the extra async step.
internal sealed partial class Verifier
{
    public Task<StartOutcome> StartAsync(StartInput input, CancellationToken cancellationToken) =>
        VerifyActivitySource.Instance.HasListeners() ? StartTracedAsync(input, cancellationToken) : StartCoreAsync(input, cancellationToken);

    public Task<CheckOutcome> CheckAsync(CheckInput input, CancellationToken cancellationToken) =>
        VerifyActivitySource.Instance.HasListeners() ? CheckTracedAsync(input, cancellationToken) : CheckCoreAsync(input, cancellationToken);

    private async Task<StartOutcome> StartTracedAsync(StartInput input, CancellationToken cancellationToken)
    {
        using var activity = VerifyActivitySource.Instance.StartActivity("verify.start");
        activity?.SetTag(VerifyActivitySource.PurposeTag, input.Policy.Name)
            .SetTag(VerifyActivitySource.ChannelTag, input.Channel.Name())
            .SetTag(VerifyActivitySource.MaskedPhoneTag, input.Phone.Masked)
            .SetTag(VerifyActivitySource.RegionTag, input.Phone.RegionCode);
        try
        {
            var outcome = await StartCoreAsync(input, cancellationToken);
            activity?.SetTag(VerifyActivitySource.OutcomeTag, outcome switch
            {
                StartOutcome.Started { Replayed: true } => "replayed",
                StartOutcome.Started => "sent",
                StartOutcome.Throttled => "throttled",
                StartOutcome.Refused => "refused",
                StartOutcome.LineTypeNotAllowed => "line_type_not_allowed",
                StartOutcome.ChannelUnavailable => "channel_unavailable",
                StartOutcome.SendFailed => "send_failed",
                _ => "other",
            });
            if (outcome is StartOutcome.Started started)
            {
                activity?.SetTag(VerifyActivitySource.VerificationIdTag, started.Record.Id);
            }

            return outcome;
        }
        catch (Exception exception) when (VerifyActivitySource.Failed(activity, exception))
        {
            throw;
        }
    }

    private async Task<CheckOutcome> CheckTracedAsync(CheckInput input, CancellationToken cancellationToken)
    {
        using var activity = VerifyActivitySource.Instance.StartActivity("verify.check");
        if (activity is not null)
        {
            activity.SetTag(VerifyActivitySource.VerificationIdTag, input.VerificationId);
            activity.SetTag(VerifyActivitySource.PurposeTag, input.Purpose);
            activity.SetTag(VerifyActivitySource.MaskedPhoneTag, input.Phone?.Masked);
        }

        try
        {
            var result = await CheckCoreAsync(input, cancellationToken);
            activity?.SetTag(VerifyActivitySource.OutcomeTag, Outcome(result));
            if (result is CheckOutcome.Checked check)
            {
                activity?.SetTag(VerifyActivitySource.VerificationIdTag, check.Record.Id);
            }

            return result;
        }
        catch (Exception exception) when (VerifyActivitySource.Failed(activity, exception))
        {
            throw;
        }
    }

    /// <summary>The audit's and metrics' outcome words (<see cref="Metrics.VerifyMetrics.Check"/>), so a span and its counter agree.</summary>
    private static string Outcome(CheckOutcome result) => result switch
    {
        CheckOutcome.Checked check => OutcomeOf(check),
        CheckOutcome.NotFound => "not_found",
        CheckOutcome.Malformed => "malformed",
        CheckOutcome.Throttled => "throttled",
        _ => "other",
    };

    /// <summary>What a check that reached a verification did, in the audit line's words.</summary>
    public static string OutcomeOf(CheckOutcome.Checked check) => check.Valid ? "approved" : check.Record.Status switch
    {
        VerificationState.Pending => "wrong_code",
        VerificationState.MaxAttemptsReached => "locked",
        VerificationState.Failed => "burned",
        var other => other.ToString().ToLowerInvariant(),
    };
}
