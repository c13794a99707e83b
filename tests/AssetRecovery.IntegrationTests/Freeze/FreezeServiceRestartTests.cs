using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>The freeze service killed with SIGKILL between request and bank result loses nothing.</summary>
[Collection(SystemCollection.Name)]
public sealed class FreezeServiceRestartTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;

    public async Task InitializeAsync() => _system = await TestSystem.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task After_a_kill_and_restart_the_saga_carries_on()
    {
        await using var service = new ServiceProcess("freeze", "AssetRecovery.Freeze.Api", _system.Settings("freeze"));
        await service.StartAsync();
        var liaison = service.Client<IFreezeApi>(Roles.BankLiaison);

        var settled = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()))).Content!.FreezeId;
        await Eventually.Until(async () => (await liaison.GetAsync(settled)).Content!, v => v.Workflow?.State == "AwaitingBankExecution",
            what: "the saga before the kill");
        // Killed at once after the answer: the relay may not have published this one yet.
        var justAccepted = await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()) with { AccountNumber = "6222020200998877665" });
        Assert.Equal(HttpStatusCode.Created, justAccepted.StatusCode);
        await service.KillAsync();

        await service.StartAsync();

        var recorded = await liaison.RecordBankExecutionAsync(settled, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var frozen = await Eventually.Until(async () => (await liaison.GetAsync(settled)).Content!, v => v.Workflow?.State == "Frozen",
            what: "the saga after the restart");
        Assert.False(frozen.Workflow!.AcknowledgementTimeoutScheduled);

        var late = await Eventually.Until(async () => (await liaison.GetAsync(justAccepted.Content!.FreezeId)).Content!,
            v => v.Workflow?.State == "AwaitingBankExecution", what: "the request accepted just before the kill");
        Assert.True(late.Workflow!.AcknowledgementTimeoutScheduled);
    }
}
