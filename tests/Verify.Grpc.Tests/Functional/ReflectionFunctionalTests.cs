using Google.Protobuf.Reflection;
using Verify.Grpc.Reflection.V1;
using Verify.Grpc.Tests.Infrastructure;
using V1Alpha = Verify.Grpc.Reflection.V1Alpha;

namespace Verify.Grpc.Tests.Functional;

/// <summary>
/// Both reflection versions over one bidi stream per test. v1 and v1alpha messages are identical on
/// the wire, so the v1 types drive both paths; one test uses the v1alpha types themselves.
/// </summary>
public sealed class ReflectionFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    public static TheoryData<string> Paths => new() { InteropPaths.ReflectionV1, InteropPaths.ReflectionV1Alpha };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ListServices_ReturnsEveryMappedService(string path)
    {
        var answers = await AskAsync(path, new ServerReflectionRequest { ListServices = "*" });

        var names = Assert.Single(answers).ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("verify.interop.v1.InteropService", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileContainingSymbol_InteropService_ReturnsItsFileAndDependencies(string path)
    {
        var answer = Assert.Single(await AskAsync(path, new ServerReflectionRequest { FileContainingSymbol = "verify.interop.v1.InteropService" }));

        var files = answer.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var interop = files[0];
        Assert.Equal("interop.proto", interop.Name);
        Assert.Equal("verify.interop.v1", interop.Package);
        Assert.Contains("InteropService", interop.Service.Select(s => s.Name));
        Assert.Contains("google/protobuf/empty.proto", interop.Dependency);
        Assert.Contains(files, f => f.Name == "google/protobuf/empty.proto" && f.MessageType.Any(m => m.Name == "Empty"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileContainingSymbol_MethodAndMessage_ResolveToTheirFile(string path)
    {
        var answers = await AskAsync(
            path,
            new ServerReflectionRequest { FileContainingSymbol = "verify.interop.v1.InteropService.Echo" },
            new ServerReflectionRequest { FileContainingSymbol = "verify.interop.v1.EchoRequest" });

        Assert.Equal(2, answers.Count);
        Assert.All(answers, a => Assert.Equal("interop.proto", FileDescriptorProto.Parser.ParseFrom(a.FileDescriptorResponse.FileDescriptorProto[0]).Name));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileByFilename_UnknownFile_ReturnsNotFoundErrorResponse(string path)
    {
        var answer = Assert.Single(await AskAsync(path, new ServerReflectionRequest { FileByFilename = "no/such/file.proto" }));

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse, answer.MessageResponseCase);
        Assert.Equal((int)StatusCode.NotFound, answer.ErrorResponse.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileByFilename_KnownFile_ReturnsIt(string path)
    {
        var answer = Assert.Single(await AskAsync(path, new ServerReflectionRequest { FileByFilename = "interop.proto" }));

        Assert.Equal("interop.proto", FileDescriptorProto.Parser.ParseFrom(answer.FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileContainingSymbol_ErrorDetailType_ReturnsErrorDetailsProto(string path)
    {
        var answer = Assert.Single(await AskAsync(path, new ServerReflectionRequest { FileContainingSymbol = "google.rpc.BadRequest" }));

        var file = FileDescriptorProto.Parser.ParseFrom(answer.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("google/rpc/error_details.proto", file.Name);
        Assert.Contains("BadRequest", file.MessageType.Select(m => m.Name));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task FileContainingSymbol_UnknownSymbol_ReturnsNotFoundAndTheStreamGoesOn(string path)
    {
        var answers = await AskAsync(
            path,
            new ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" },
            new ServerReflectionRequest { ListServices = "*" });

        Assert.Equal((int)StatusCode.NotFound, answers[0].ErrorResponse.ErrorCode);
        Assert.NotEmpty(answers[1].ListServicesResponse.Service);
    }

    [Fact]
    public async Task ListServices_V1AlphaMessages_AreAnswered()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.ReflectionV1Alpha, cancellationToken: timeout.Token);

        await call.SendAsync(new V1Alpha.ServerReflectionRequest { Host = "localhost", ListServices = "*" }, timeout.Token);
        var response = await call.Response.WaitAsync(timeout.Token);
        var answer = await response.ReadMessageAsync(V1Alpha.ServerReflectionResponse.Parser, timeout.Token);
        call.CompleteRequest();

        Assert.NotNull(answer);
        Assert.Equal("localhost", answer.ValidHost);
        Assert.Equal("*", answer.OriginalRequest.ListServices);
        Assert.Contains("verify.interop.v1.InteropService", answer.ListServicesResponse.Service.Select(s => s.Name));
        Assert.Equal(StatusCode.OK, (await response.ReadStatusAsync(timeout.Token)).Code);
    }

    /// <summary>Sends each request and reads its answer before sending the next, on one stream.</summary>
    private async Task<List<ServerReflectionResponse>> AskAsync(string path, params ServerReflectionRequest[] requests)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(path, cancellationToken: timeout.Token);
        var answers = new List<ServerReflectionResponse>();
        GrpcResponse? response = null;
        foreach (var request in requests)
        {
            await call.SendAsync(request, timeout.Token);
            response ??= await call.Response.WaitAsync(timeout.Token);
            var answer = await response.ReadMessageAsync(ServerReflectionResponse.Parser, timeout.Token);
            Assert.NotNull(answer);
            Assert.Equal(request, answer.OriginalRequest);
            answers.Add(answer);
        }

        call.CompleteRequest();
        Assert.NotNull(response);
        Assert.Equal(StatusCode.OK, (await response.ReadStatusAsync(timeout.Token)).Code);
        return answers;
    }
}
