using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>A trace whose run keeps failing on the database ends Failed with the error once its retries run out, instead of staying Running.</summary>
[Collection(SystemCollection.Name)]
public sealed class TraceFailureTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        // Few, short retries, so the fault comes within the test's patience.
        _freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?>
        {
            ["RabbitMq:RetryLimit"] = "2", ["RabbitMq:RetryMaxInterval"] = "00:00:00.200",
        });
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_run_that_fails_until_its_retries_run_out_leaves_the_trace_failed_with_the_error()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var tracing = _freeze.Client<ITracingApi>(Roles.Investigator, "inspector-wu");
        Assert.True((await tracing.ImportAsync(caseNumber, new ImportTransactionsRequest([
            new TransactionRecord("T1", DateTimeOffset.Parse("2026-03-01T09:00:00Z"), "V-A", "6222020200000000001", 10.00m, "CNY",
                TransactionChannel.VictimPayment, "A"),
        ]))).IsSuccessStatusCode);

        // The database refuses the run's first write (trace marked Running), on every attempt.
        var schema = _system.DocumentsSchema("freeze");
        await _system.ScalarAsync<object>($"""
            CREATE FUNCTION {schema}.refuse_running_trace() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.data->>'Status' IN ('Running', '1') THEN RAISE EXCEPTION 'simulated storage fault'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_running_trace BEFORE INSERT OR UPDATE ON {schema}.mt_doc_casetrace
              FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_running_trace();
            """);

        var started = await tracing.RunAsync(caseNumber, new RunTraceRequest(TraceRule.Fifo));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var failed = await Eventually.Until(async () => (await tracing.GetAsync(started.Content!.TraceId)).Content!,
            t => t.Status != "Pending", TimeSpan.FromSeconds(60), "the trace to end");
        Assert.Equal("Failed", failed.Status);
        Assert.Contains("simulated storage fault", failed.Failure);
        Assert.NotNull(failed.CompletedAt);
        Assert.Equal(2L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.EventsSchema}.mt_events WHERE stream_id = @id", ("id", started.Content!.TraceId)));
        Assert.Equal("trace_failed", await _system.ScalarAsync<string>(
            $"SELECT type FROM {_system.EventsSchema}.mt_events WHERE stream_id = @id AND version = 2", ("id", started.Content.TraceId)));
    }
}
