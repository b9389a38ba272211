using Verify.Grpc.InteropHost.V1;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>Request paths of the interop host's services.</summary>
public static class InteropPaths
{
    public static readonly string InteropService = InteropReflection.Descriptor.Services[0].FullName;

    public static readonly string Echo = Interop("Echo");
    public static readonly string Fail = Interop("Fail");
    public static readonly string Sleep = Interop("Sleep");
    public static readonly string ServerStream = Interop("ServerStream");
    public static readonly string Bidi = Interop("Bidi");
    public static readonly string ClientStream = Interop("ClientStream");
    public static readonly string GetStats = Interop("GetStats");
    public static readonly string SetHealth = Interop("SetHealth");

    public const string HealthCheck = "/grpc.health.v1.Health/Check";
    public const string HealthWatch = "/grpc.health.v1.Health/Watch";
    public const string ReflectionV1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    public const string ReflectionV1Alpha = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    public static string Interop(string method) => $"/{InteropService}/{method}";
}
