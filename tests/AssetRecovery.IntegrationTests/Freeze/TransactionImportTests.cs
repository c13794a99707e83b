using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>Importing bank records for tracing: CSV and JSON, idempotent by transaction id, bad rows reported.</summary>
[Collection(SystemCollection.Name)]
public sealed class TransactionImportTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ITracingApi _tracing = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_bank_statement_csv_is_imported_once_with_its_bad_rows_reported()
    {
        const string csv = """
            transaction_id,timestamp,from_account,to_account,amount,currency,channel,victim_id
            T1,2026-03-01T09:00:00Z,VICTIM-A,M1,100.00,CNY,VictimPayment,A
            T2,2026-03-01T09:05:00+08:00,VICTIM-B,M1,50.00,CNY,VictimPayment,B
            T3,2026-03-01T10:00:00Z,M1,,120.00,CNY,CashWithdrawal,
            T4,2026-03-01T11:00:00Z,M1,M2,-3,CNY,Transfer,
            T5,yesterday,M1,M2,3,CNY,Transfer,
            T6,2026-03-01T12:00:00Z,M1,M1,3,CNY,Transfer,
            T7,2026-03-01T12:00:00Z,M1,M2,3,CNY,Teleport,
            """;

        var first = await _tracing.ImportCsvAsync("SZ-2024-0315", csv);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((3, 0), (first.Content!.Imported, first.Content.Duplicates));
        Assert.Equal([4, 5, 6, 7], first.Content.Rejected.Select(r => r.RowNumber));
        Assert.Contains("amount", first.Content.Rejected[0].Errors.Keys);
        Assert.Contains("timestamp", first.Content.Rejected[1].Errors.Keys);
        Assert.Contains("toAccount", first.Content.Rejected[2].Errors.Keys);
        Assert.Contains("channel", first.Content.Rejected[3].Errors.Keys);

        // The same file again adds nothing; a record with the same id and other details is refused.
        var again = await _tracing.ImportCsvAsync("SZ-2024-0315", csv);
        Assert.Equal((0, 3), (again.Content!.Imported, again.Content.Duplicates));
        var changed = await _tracing.ImportAsync("SZ-2024-0315", new ImportTransactionsRequest([
            new TransactionRecord("T3", DateTimeOffset.Parse("2026-03-01T10:00:00Z"), "M1", null, 121.00m, "CNY", TransactionChannel.CashWithdrawal),
            new TransactionRecord("T8", DateTimeOffset.Parse("2026-03-02T10:00:00Z"), "M1", null, 10.00m, "CNY", TransactionChannel.Spent),
        ]));
        Assert.Equal(1, changed.Content!.Imported);
        Assert.Equal("T3", changed.Content.Rejected.Single().TransactionId);
        Assert.Contains("by an earlier import", changed.Content.Rejected.Single().Errors["transactionId"].Single());

        // The same transaction id in another case is another record.
        Assert.Equal(3, (await _tracing.ImportCsvAsync("SZ-2024-0999", csv)).Content!.Imported);
    }

    [Fact]
    public async Task Imports_are_for_investigators_and_a_broken_file_writes_nothing()
    {
        var before = await _system.CountEventsAsync();
        var liaison = _freeze.Client<ITracingApi>(Roles.BankLiaison);
        Assert.Equal(HttpStatusCode.Forbidden, (await liaison.ImportCsvAsync("SZ-1", "transaction_id\n")).StatusCode);

        var broken = await _tracing.ImportCsvAsync("SZ-1", "transaction_id,timestamp,amount,currency,channel\n\"T1,2026-03-01T09:00:00Z,1,CNY,Spent\n");
        var noColumns = await _tracing.ImportCsvAsync("SZ-1", "id,when\n1,2\n");
        var empty = await _tracing.ImportAsync("SZ-1", new ImportTransactionsRequest([]));

        Assert.All([broken, noColumns, empty], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(before, await _system.CountEventsAsync());
    }
}
