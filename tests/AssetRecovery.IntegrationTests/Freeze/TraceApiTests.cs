using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>Tracing through the API: import records, run traces under two rules, read, export, draw, freeze the targets.</summary>
[Collection(SystemCollection.Name)]
public sealed class TraceApiTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private const string Mule = "6222020200000000001";
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ITracingApi _tracing = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task The_worked_example_traced_read_exported_drawn_and_frozen()
    {
        // domain-rules.md: A pays 100 into an account, then B pays 50, then 120 leaves; 30 remains.
        var caseNumber = FreezeRequests.NewCaseNumber();
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        var import = await _tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", t0, "VICTIM-A", Mule, 100.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T2", t0.AddMinutes(5), "VICTIM-B", Mule, 50.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T3", t0.AddMinutes(30), Mule, null, 120.00m, "CNY", TransactionChannel.CashWithdrawal),
        ]));
        Assert.Equal(3, import.Content!.Imported);

        var fifo = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo)));
        var windowed = await Completed(await _tracing.RunAsync(caseNumber,
            new RunTraceRequest(TraceRule.Fifo, MaxHops: 3, From: t0, To: t0.AddMinutes(10))));
        Assert.Equal((3, t0, t0.AddMinutes(10)), (windowed.MaxHops, windowed.From, windowed.To));
        // Before the cash withdrawal (minute 30): all 150 still there.
        Assert.Equal([("A", 100.00m), ("B", 50.00m)], windowed.Victims.Select(v => (v.VictimId, v.Held)));
        Assert.Equal([("A", 100.00m, 0m, 100.00m), ("B", 50.00m, 30.00m, 20.00m)],
            fifo.Victims.Select(v => (v.VictimId, v.Loss, v.Held, v.LeftTrail)));
        Assert.Equal(1m, fifo.Progress);
        var target = Assert.Single(fifo.FreezeTargets);
        Assert.Equal((Mule, 30.00m), (target.Account, target.Freezable));

        var proRata = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata)));
        Assert.Equal([("A", 20.00m), ("B", 10.00m)], proRata.Victims.Select(v => (v.VictimId, v.Held)));
        Assert.NotEqual(fifo.Digest, proRata.Digest);
        var again = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo)));
        Assert.Equal(fifo.Digest, again.Digest); // same inputs, same rule: reproducible

        var b = (await _tracing.GetVictimAsync(fifo.TraceId, "B")).Content!;
        var holding = Assert.Single(b.Holdings);
        Assert.Equal((Mule, 30.00m), (holding.Account, holding.Amount));
        Assert.Equal(["T2", Mule], holding.Path);
        Assert.Contains("of B's money is in", holding.Explanation);
        Assert.Equal(20.00m, b.Exits.Single(e => e.Kind == "CashWithdrawal").Amount);
        Assert.Equal(HttpStatusCode.NotFound, (await _tracing.GetVictimAsync(fifo.TraceId, "Z")).StatusCode);

        var csv = (await _tracing.ExportCsvAsync(fifo.TraceId)).Content!;
        Assert.StartsWith("victim_id,kind,account,transaction_id,amount,currency,path", csv);
        Assert.Contains($"B,Holding,{Mule},T2,30.00,CNY,T2 > {Mule}", csv);
        Assert.Contains($"A,CashWithdrawal,{Mule},T3,100.00,CNY,T1 > {Mule}", csv);

        var svg = (await _tracing.FlowSvgAsync(fifo.TraceId)).Content!;
        Assert.StartsWith("<svg", svg);
        Assert.Contains("Victim A", svg);
        Assert.Contains(Mule, svg);
        Assert.Contains("CashWithdrawal", svg);
        Assert.Contains("freezable 30", svg);
        // One victim's picture, along the paths the trace is run again for: B's money only.
        var svgB = (await _tracing.FlowSvgAsync(fifo.TraceId, "B")).Content!;
        Assert.Contains("Victim B", svgB);
        Assert.DoesNotContain("Victim A", svgB);
        Assert.Contains(">20<", svgB); // B's 20 withdrawn in cash
        Assert.Equal(HttpStatusCode.NotFound, (await _tracing.FlowSvgAsync(fifo.TraceId, "Z")).StatusCode);

        var emptyTarget = await _tracing.RequestFreezesAsync(fifo.TraceId, new FreezeTargetsRequest("ICBC", FreezeKind.Freeze, "SZPD-FRZ-9", "r", [null!]));
        Assert.Equal(HttpStatusCode.BadRequest, emptyTarget.StatusCode);
        var outcomes = (await _tracing.RequestFreezesAsync(fifo.TraceId, new FreezeTargetsRequest("ICBC", FreezeKind.Freeze, "SZPD-FRZ-9",
            "traced victims' money", [new FreezeTargetSelection(Mule, "Mule One")]))).Content!;
        var freezeId = Assert.Single(outcomes).FreezeId!.Value;
        var freeze = (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(freezeId)).Content!;
        Assert.Equal((30.00m, caseNumber, "AwaitingBankExecution"), (freeze.RequestedAmount!.Value, freeze.CaseNumber, freeze.Status));
        Assert.Contains(fifo.TraceId.ToString(), freeze.Reason);
    }

    [Fact]
    public async Task A_trace_is_compact_and_explains_a_victim_on_request_from_the_records_it_ran_on()
    {
        // A 100 into the mule, 60 on to a second mule, 30 of it spent: A holds 40 and 30, 30 spent.
        var caseNumber = FreezeRequests.NewCaseNumber();
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        const string second = "6222020200000000002";
        await _tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("P1", t0, "VICTIM-A", Mule, 100.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("T1", t0.AddMinutes(1), Mule, second, 60.00m, "CNY", TransactionChannel.Transfer),
            new TransactionRecord("S1", t0.AddMinutes(2), second, null, 30.00m, "CNY", TransactionChannel.Spent),
        ]));
        var trace = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata)));

        // Records imported after the trace do not change what it explains: it runs again on the imports it ran on.
        await _tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("S2", t0.AddMinutes(3), Mule, null, 40.00m, "CNY", TransactionChannel.Spent),
        ]));
        var a = (await _tracing.GetVictimAsync(trace.TraceId, "A")).Content!;
        Assert.Equal((100.00m, 70.00m, 30.00m), (a.Loss, a.Held, a.LeftTrail));
        Assert.Equal([$"{Mule} 40.00 P1>{Mule}", $"{second} 30.00 P1>{Mule}>T1>{second}"],
            a.Holdings.Select(h => $"{h.Account} {h.Amount} {string.Join(">", h.Path)}"));
        var spent = Assert.Single(a.Exits);
        Assert.Equal(("Spent", "S1", 30.00m), (spent.Kind, spent.TransactionId, spent.Amount));

        var csv = (await _tracing.ExportCsvAsync(trace.TraceId)).Content!;
        Assert.Contains($"A,Spent,{second},S1,30.00,CNY,P1 > {Mule} > T1 > {second}", csv);
        Assert.DoesNotContain("S2", csv);
    }

    [Fact]
    public async Task A_minimum_share_stops_following_crumbs_and_is_kept_with_the_trace()
    {
        // A 90 and B 10 into the mule, 40 on: pro rata A 36, B 4. With a minimum share of 5.00 B's 4 is not followed.
        var caseNumber = FreezeRequests.NewCaseNumber();
        var t0 = DateTimeOffset.Parse("2026-03-01T09:00:00Z");
        const string second = "6222020200000000002";
        await _tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("PA", t0, "VICTIM-A", Mule, 90.00m, "CNY", TransactionChannel.VictimPayment, "A"),
            new TransactionRecord("PB", t0.AddMinutes(1), "VICTIM-B", Mule, 10.00m, "CNY", TransactionChannel.VictimPayment, "B"),
            new TransactionRecord("T1", t0.AddMinutes(2), Mule, second, 40.00m, "CNY", TransactionChannel.Transfer),
        ]));

        var wrongRule = await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo, MinimumShare: 5.00m));
        Assert.Equal(HttpStatusCode.BadRequest, wrongRule.StatusCode);
        Assert.Contains("minimumShare", wrongRule.ErrorContent());
        foreach (var bad in new[] { 0m, -1m, 0.001m })
            Assert.Equal(HttpStatusCode.BadRequest,
                (await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata, MinimumShare: bad))).StatusCode);

        var exact = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata)));
        var floored = await Completed(await _tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.ProRata, MinimumShare: 5.00m)));
        Assert.Equal((null, 5.00m), (exact.MinimumShare, floored.MinimumShare));
        Assert.Equal((50, null, null), (floored.MaxHops, floored.From, floored.To)); // the defaults, shown with the trace
        Assert.NotEqual(exact.Digest, floored.Digest);
        Assert.Equal([("A", 90.00m, 0m), ("B", 10.00m, 0m)], exact.Victims.Select(v => (v.VictimId, v.Held, v.LeftTrail)));
        Assert.Equal([("A", 90.00m, 0m), ("B", 6.00m, 4.00m)], floored.Victims.Select(v => (v.VictimId, v.Held, v.LeftTrail)));
        var atSecond = floored.FreezeTargets.Single(t => t.Account == second);
        Assert.Equal((40.00m, 36.00m), (atSecond.Balance, atSecond.Traced));

        // Explaining B runs the trace again, minimum share included (else its digest would differ and it would refuse).
        var b = (await _tracing.GetVictimAsync(floored.TraceId, "B")).Content!;
        var crumb = Assert.Single(b.Exits);
        Assert.Equal(("BelowMinimumShare", Mule, "T1", 4.00m), (crumb.Kind, crumb.Account, crumb.TransactionId, crumb.Amount));
        Assert.Equal(["PB", Mule], crumb.Path);
        Assert.Equal((Mule, 6.00m), (b.Holdings.Single().Account, b.Holdings.Single().Amount));
    }

    [Fact]
    public async Task A_trace_needs_records_a_rule_and_an_investigator()
    {
        var none = await _tracing.RunAsync("SZ-EMPTY", new RunTraceRequest(TraceRule.Fifo));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("no imported transactions", none.ErrorContent());
        var noRule = await _tracing.RunAsync("SZ-EMPTY", new RunTraceRequest(null));
        Assert.Contains("\"rule\"", noRule.ErrorContent());
        foreach (var role in new[] { Roles.BankLiaison, Roles.Court, Roles.Victim })
            Assert.Equal(HttpStatusCode.Forbidden,
                (await _freeze.Client<ITracingApi>(role).RunAsync("SZ-1", new RunTraceRequest(TraceRule.Fifo))).StatusCode);
    }

    private async Task<TraceView> Completed(Refit.IApiResponse<TraceView> started)
    {
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{started.StatusCode}: {started.ErrorContent()}");
        return await Eventually.Until(async () => (await _tracing.GetAsync(started.Content!.TraceId)).Content!,
            t => t.Status is "Completed" or "Failed", what: "the trace to run") is { Status: "Completed" } done
            ? done
            : throw new InvalidOperationException("The trace failed.");
    }
}
