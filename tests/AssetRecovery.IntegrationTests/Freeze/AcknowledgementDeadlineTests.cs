using AssetRecovery.Clients.Freeze;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.IntegrationTests.Freeze;

/// <summary>The saga's deadline through the durable scheduler, with a short configured timeout.</summary>
[Collection(SystemCollection.Name)]
public sealed class AcknowledgementDeadlineTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze", new Dictionary<string, string?>
        {
            ["Freeze:FreezeAcknowledgementTimeout"] = "00:00:02",
        });
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task A_bank_that_does_not_answer_in_time_is_escalated_and_may_still_answer_later()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var accepted = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()))).Content!;
        Assert.InRange(accepted.AcknowledgementDueAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(2));

        var overdue = await Eventually.Until(async () => (await liaison.GetAsync(accepted.FreezeId)).Content!,
            v => v.Workflow?.State == "AcknowledgementOverdue" && v.AcknowledgementOverdue, what: "the escalation");
        var escalation = overdue.History.Last();
        Assert.Equal("FreezeAcknowledgementOverdue", escalation.Event);
        Assert.Equal("system:freeze-workflow", escalation.By!.Subject);
        Assert.Equal("AwaitingBankExecution", overdue.Status);

        await liaison.RecordBankExecutionAsync(accepted.FreezeId, new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));

        var frozen = await Eventually.Until(async () => (await liaison.GetAsync(accepted.FreezeId)).Content!,
            v => v.Workflow?.State == "Frozen", what: "the late bank result");
        Assert.Equal("FrozenInFull", frozen.Status);
        Assert.Equal(3, frozen.History.Count);
    }

    [Fact]
    public async Task A_bank_that_answers_in_time_is_never_escalated()
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison);
        var freezeId = (await liaison.SubmitAsync(FreezeRequests.Valid(FreezeRequests.NewCaseNumber()))).Content!.FreezeId;
        await Eventually.Until(async () => (await liaison.GetAsync(freezeId)).Content!, v => v.Workflow?.State == "AwaitingBankExecution");
        await liaison.RecordBankExecutionAsync(freezeId, new RecordBankExecutionRequest(BankExecutionOutcome.Rejected, ReasonCode: "AccountNotFound"));

        await Eventually.Until(async () => (await liaison.GetAsync(freezeId)).Content!, v => v.Workflow?.State == "Rejected");
        await Task.Delay(3500); // past the 2 s deadline

        var view = (await liaison.GetAsync(freezeId)).Content!;
        Assert.False(view.AcknowledgementOverdue);
        Assert.Equal("Rejected", view.Workflow!.State);
        Assert.Equal("RejectedByBank", view.Status);
    }
}
