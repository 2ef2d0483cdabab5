using System.Text;
using BenchmarkDotNet.Attributes;
using RoleSync.Contract;

namespace RoleSync.Benchmarks;

/// <summary>Parse + validate one message body, in both forms (and a rejected one for comparison).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly byte[] _plain = Encoding.UTF8.GetBytes(
        """{"eventId":"9b2f6a1e-6f0b-4c1d-9e4a-2d7c8b1f0a35","occurredAt":"2026-11-28T11:59:58.123Z","organizationId":"org_2g7np7Hrk0SN6kj5EDMLDaKNL0S","userId":"user_3k9pq4Jtm2RS8uLv6GHOgbMLFpV","role":"org:billing","source":"workday","reason":"promotion"}""");

    private readonly byte[] _cloudEvent = Encoding.UTF8.GetBytes(
        """{"specversion":"1.0","type":"rolesync.role-change","source":"workday","id":"9b2f6a1e-6f0b-4c1d-9e4a-2d7c8b1f0a35","time":"2026-11-28T11:59:58.123Z","datacontenttype":"application/json","data":{"organizationId":"org_2g7np7Hrk0SN6kj5EDMLDaKNL0S","userId":"user_3k9pq4Jtm2RS8uLv6GHOgbMLFpV","role":"org:billing","reason":"promotion"}}""");

    private readonly byte[] _invalid = Encoding.UTF8.GetBytes(
        """{"eventId":"9b2f6a1e-6f0b-4c1d-9e4a-2d7c8b1f0a35","occurredAt":"yesterday","organizationId":"acme","userId":"user_3k9pq4Jtm2RS8uLv6GHOgbMLFpV","role":"admin"}""");

    [GlobalSetup]
    public void CheckInputs()
    {
        // A benchmark of the wrong path measures nothing: the valid bodies must parse, the invalid one must not.
        if (!Parse(_plain).IsValid || !Parse(_cloudEvent).IsValid || Parse(_invalid).Errors.Count != 3)
        {
            throw new InvalidOperationException("The benchmark inputs do not parse as expected.");
        }
    }

    [Benchmark(Baseline = true)]
    public RoleChangeParseResult Plain() => Parse(_plain);

    [Benchmark]
    public RoleChangeParseResult CloudEvent() => Parse(_cloudEvent);

    [Benchmark]
    public RoleChangeParseResult Invalid() => Parse(_invalid);

    private static RoleChangeParseResult Parse(byte[] body) => RoleChangeParser.Parse(body, Now);
}
