using Verify.Benchmarks;
using Verify.Benchmarks.Load;
using Verify.Benchmarks.Reference;
using Verify.Benchmarks.Sink;

// The modes tests/perf/verify-bench.sh starts; each prints what it is doing and exits non-zero on failure.
const string usage = """
    usage: Verify.Benchmarks <mode> [--option value ...]
      reference --port P --redis HOST:PORT    serve verify.bench.v1.Reference (Empty, Floor) on h2c 127.0.0.1:P
      sink --port P                           answer 200 to every HTTP/1.1 request on 127.0.0.1:P (the no-op webhook)
      load --target URL --op check|start|wrongcode|empty|floor [--mode closed|open] [--concurrency N] [--connections N]
           [--rate R] [--warmup S] [--duration S] [--requests N] [--first I] [--purpose P] [--deadline S]
           [--ids-out FILE]  (start) write the id of every verification started
           [--ids FILE] [--attempts-per-id N]  (wrongcode, N default 4) check those ids by id with a wrong code,
                             at most N calls each, in turn
           API key (check, start, wrongcode) from VERIFY_BENCH_API_KEY
      body --op check|empty --out FILE [--purpose P]   the framed request h2load repeats
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine(usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = Arguments.Parse(args.AsSpan(1));
    return args[0] switch
    {
        "reference" => await ReferenceHost.RunAsync(options),
        "sink" => await SinkHost.RunAsync(options),
        "load" => await LoadCommand.RunAsync(options),
        "body" => BodyCommand.Run(options),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(usage);
    return 2;
}
