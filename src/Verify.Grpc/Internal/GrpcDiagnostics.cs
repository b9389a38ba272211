using System.Diagnostics;

namespace Verify.Grpc.Internal;

/// <summary>One server Activity per call, tagged as the OpenTelemetry RPC conventions name things.</summary>
internal static class GrpcDiagnostics
{
    public const string ActivitySourceName = "Verify.Grpc";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static Activity? StartCall(GrpcMethodDescription method)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(method.Path, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.MethodName);
        }

        return activity;
    }

    public static void EndCall(Activity? activity, StatusCode statusCode)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("rpc.grpc.status_code", (int)statusCode);
        if (statusCode is not StatusCode.OK)
        {
            activity.SetStatus(ActivityStatusCode.Error, statusCode.ToString());
        }

        activity.Dispose();
    }
}
