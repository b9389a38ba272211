using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Verify.Grpc.InteropHost;

// Usage: Verify.Grpc.InteropHost [--tls <pfx>] [--raw-baseline] — prints "LISTENING <port>" once serving
// on 127.0.0.1. --raw-baseline also maps the hand-written empty endpoint the performance runs compare against.
var tlsIndex = Array.IndexOf(args, "--tls");
var app = InteropHostApp.Build(
    certificatePath: tlsIndex >= 0 ? args[tlsIndex + 1] : null,
    logging: Environment.GetEnvironmentVariable("INTEROP_HOST_LOG") == "1" ? l => l.AddConsole().SetMinimumLevel(LogLevel.Debug) : null,
    mapRawBaseline: args.Contains("--raw-baseline"));
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"LISTENING {new Uri(address).Port}");
await app.WaitForShutdownAsync();
