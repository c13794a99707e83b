using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>Bulk intake: JSON and CSV, every row validated, valid rows processed in the background with progress.</summary>
[Collection(SystemCollection.Name)]
public sealed class FreezeBatchTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private IFreezeBatchApi _batches = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _batches = _freeze.Client<IFreezeBatchApi>(Roles.BankLiaison, "officer-li");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_rows_with_some_bad_ones()
    {
        var bad = new Dictionary<int, (Func<SubmitFreezeRequest, SubmitFreezeRequest> Spoil, string Field)>
        {
            [17] = (r => r with { Amount = -5m }, "amount"),
            [256] = (r => r with { Currency = "XXX" }, "currency"),
            [1_024] = (r => r with { AccountNumber = "12AB" }, "accountNumber"),
            [4_096] = (r => r with { Reason = "" }, "reason"),
            [9_999] = (r => r with { Amount = 10.001m }, "amount"),
        };
        var requests = Enumerable.Range(1, 10_000).Select(row =>
        {
            var request = FreezeRequests.Valid($"SZ-BULK-{row / 100:D3}", 1_000m + row) with { AccountNumber = $"62220{row:D14}" };
            return bad.TryGetValue(row, out var spoil) ? spoil.Spoil(request) : request;
        }).ToList();

        var submitted = await _batches.SubmitAsync(new SubmitFreezeBatchRequest(requests));

        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(10_000, submitted.Content!.Total);
        Assert.Equal(bad.Count, submitted.Content.Invalid);
        var batchId = submitted.Content.BatchId;

        var invalid = (await _batches.GetRowsAsync(batchId, "Invalid")).Content!;
        Assert.Equal(bad.Keys.Order(), invalid.Items.Select(r => r.RowNumber));
        Assert.All(invalid.Items, r => Assert.Contains(bad[r.RowNumber].Field, r.Errors!.Keys));

        var done = await Eventually.Until(async () => (await _batches.GetAsync(batchId)).Content!, b => b.Status == "Completed",
            TimeSpan.FromMinutes(5), "the batch to be processed");
        Assert.Equal((10_000 - bad.Count, 0, 0), (done.Accepted, done.Refused, done.Pending));

        var sample = (await _batches.GetRowsAsync(batchId, "Accepted", page: 50, pageSize: 100)).Content!;
        var row = sample.Items.First();
        var freeze = (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(row.FreezeId!.Value)).Content!;
        Assert.Equal($"62220{row.RowNumber:D14}", freeze.AccountNumber);
        Assert.Equal(1_000m + row.RowNumber, freeze.RequestedAmount);
        Assert.Equal("officer-li", freeze.RequestedBy.Subject);
    }

    [Fact]
    public async Task A_csv_upload_reports_unreadable_cells_and_refused_rows_and_is_idempotent()
    {
        const string csv = """
            caseNumber,kind,bankCode,accountNumber,accountHolderName,currency,amount,legalDocumentReference,reason
            SZ-2026-000100,Freeze,ICBC,6222020200000000101,Zhang San,CNY,1500.50,DOC-1,mule account
            SZ-2026-000100,Frost,ICBC,6222020200000000102,Li Si,CNY,20,DOC-2,mule account
            SZ-2026-000100,Freeze,ICBC,6222020200000000103,Wang Wu,CNY,abc,DOC-3,mule account
            SZ-2026-000100,StopPayment,ICBC,6222020200000000104,"Zhao, Liu",CNY,300,DOC-4,"first-level mule, urgent"
            SZ-2026-000100,StopPayment,ICBC,6222020200000000104,"Zhao, Liu",CNY,300,DOC-5,second stop while the first is in force
            """;

        var submitted = await _batches.SubmitCsvAsync(csv, idempotencyKey: "upload-2026-11-23");
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal((5, 2), (submitted.Content!.Total, submitted.Content.Invalid));
        var again = await _batches.SubmitCsvAsync(csv, idempotencyKey: "upload-2026-11-23");
        Assert.Equal(submitted.Content.BatchId, again.Content!.BatchId);

        var done = await Eventually.Until(async () => (await _batches.GetAsync(submitted.Content.BatchId)).Content!, b => b.Status == "Completed",
            what: "the batch to be processed");
        Assert.Equal((2, 1), (done.Accepted, done.Refused));
        var rows = (await _batches.GetRowsAsync(done.BatchId)).Content!.Items;
        Assert.Equal(["Accepted", "Invalid", "Invalid", "Accepted", "Refused"], rows.Select(r => r.Status));
        Assert.Contains("kind", rows[1].Errors!.Keys);
        Assert.Contains("amount", rows[2].Errors!.Keys);
        Assert.Equal("stop-payment.already-active", rows[4].Rule);

        var stop = (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(rows[3].FreezeId!.Value)).Content!;
        Assert.Equal("Zhao, Liu", stop.AccountHolderName);
        await Eventually.Until(async () => (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(stop.FreezeId)).Content!,
            v => v.Workflow?.State == "AwaitingBankExecution", what: "the saga of a batch row");
    }

    [Fact]
    public async Task Concurrent_submits_with_one_idempotency_key_make_one_batch_and_leave_no_stray_rows()
    {
        var requests = Enumerable.Range(1, 200)
            .Select(row => FreezeRequests.Valid("SZ-RACE-001", 100m + row) with { AccountNumber = $"62221{row:D14}" }).ToList();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _batches.SubmitAsync(new SubmitFreezeBatchRequest(requests), "race-key")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var batchId = Assert.Single(answers.Select(a => a.Content!.BatchId).Distinct());
        Assert.Equal(200L, await _system.ScalarAsync<long>($"SELECT count(*) FROM {_system.DocumentsSchema("freeze")}.mt_doc_freezebatchrow"));
        Assert.Equal(batchId, (await _batches.GetAsync(batchId)).Content!.BatchId);
    }

    [Fact]
    public async Task Broken_or_oversized_bodies_are_refused_whole_and_write_nothing()
    {
        var before = await _system.CountEventsAsync();

        var brokenQuotes = await _batches.SubmitCsvAsync("caseNumber,kind,bankCode,accountNumber,accountHolderName,currency,amount,legalDocumentReference,reason\n" +
                                                         "SZ-1,Freeze,ICBC,\"6222020200000000101,Zhang,CNY,1,D,r\n");
        var missingColumns = await _batches.SubmitCsvAsync("caseNumber,kind\nSZ-1,Freeze\n");
        var tooMany = await _batches.SubmitAsync(new SubmitFreezeBatchRequest(
            Enumerable.Repeat(FreezeRequests.Valid("SZ-1"), 10_001).ToList()));
        var empty = await _batches.SubmitAsync(new SubmitFreezeBatchRequest([]));

        Assert.All([brokenQuotes, missingColumns, tooMany, empty], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("lacks the column(s)", missingColumns.ErrorContent());
        Assert.Contains("at most 10000", tooMany.ErrorContent());
        Assert.Equal(before, await _system.CountEventsAsync());
    }
}
