using System.Net;
using AssetRecovery.Clients.Freeze;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Freeze;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.Freeze;
using AssetRecovery.IntegrationTests.Freeze;
using AssetRecovery.IntegrationTests.Infrastructure;
using AssetRecovery.Seizure;
using AssetRecovery.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace AssetRecovery.IntegrationTests.Seizure;

/// <summary>
/// The seizure service with the freeze service, over the Refit clients, on real PostgreSQL and RabbitMQ: seizing frozen
/// money through the saga, assets and their disposal, and the recovery pool.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SeizureTests(Infrastructure.Infrastructure infrastructure) : IAsyncLifetime
{
    private TestSystem _system = null!;
    private ServiceHost<FreezeService> _freeze = null!;
    private ServiceHost<SeizureService> _seizure = null!;
    private ISeizureApi _investigator = null!;

    public async Task InitializeAsync()
    {
        _system = await TestSystem.StartAsync(infrastructure);
        _freeze = _system.Start<FreezeService>("freeze");
        _seizure = _system.Start<SeizureService>("seizure");
        _investigator = _seizure.Client<ISeizureApi>(Roles.Investigator, "inspector-wu");
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    [Fact]
    public async Task Part_of_a_partly_frozen_sum_is_seized_into_custody_and_credited_to_the_pool()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        // Asked for 50,000.00; the account held only 31,250.40.
        var freezeId = await FrozenAsync(caseNumber, asked: 50_000.00m, frozen: 31_250.40m);

        var order = new SeizeFrozenFundsRequest("SZPD-SZ-2026-17", "court seizure order", 20_000.00m);
        var accepted = await _investigator.SeizeFrozenFundsAsync(freezeId, order, idempotencyKey: "order-17");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var seizureId = accepted.Content!.SeizureId;
        // A retry with the same key is the same seizure, not a second one of other money.
        Assert.Equal(seizureId, (await _investigator.SeizeFrozenFundsAsync(freezeId, order, idempotencyKey: "order-17")).Content!.SeizureId);
        Assert.Single((await _investigator.ListSeizuresAsync(caseNumber)).Content!);
        Assert.Equal($"/api/seizures/{seizureId}", accepted.Headers!.Location?.OriginalString);
        Assert.Equal(new Money(20_000.00m, "CNY"), accepted.Content.Amount);

        var seized = await Eventually.Until(() => Content(_investigator.GetSeizureAsync(seizureId)), s => s?.Workflow?.State == "Seized",
            what: "the seizure saga to complete the seizure");
        Assert.Equal(("Seized", false, "inspector-wu"), (seized!.Status, seized.Direct, seized.RequestedBy.Subject));
        Assert.Equal("inspector-wu", seized.HandedOverBy!.Subject);

        // The freeze service handed exactly that over: it is no longer frozen there.
        var freeze = (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(freezeId)).Content!;
        Assert.Equal((11_250.40m, 20_000.00m, "FrozenInPart"), (freeze.FrozenAmount!.Amount, freeze.HandedOverToSeizure!.Amount, freeze.Status));
        Assert.Contains(freeze.History, h => h.Event == nameof(FreezeHandedOverToSeizure) && h.Summary.Contains(seizureId.ToString()));

        var funds = await Eventually.Until(() => FundsAsync(caseNumber, freezeId), f => f?.Seized.Amount == 20_000.00m, what: "custody in the funds");
        Assert.Equal((11_250.40m, 0m, 11_250.40m), (funds!.Frozen.Amount, funds.Reserved.Amount, funds.AvailableToSeize.Amount));
        Assert.Equal(funds.FrozenAtExecution.Amount, funds.Frozen.Amount + funds.Seized.Amount);

        var pool = (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!;
        Assert.Equal([new Money(20_000.00m, "CNY")], pool.Balances);
        var credit = (await _investigator.GetRecoveryPoolMovementsAsync(caseNumber)).Content!.Items.Single();
        Assert.Equal(("Credit", nameof(RecoveryPoolCreditSource.SeizedFrozenFunds), seizureId), (credit.Kind, credit.Source, credit.SourceId));
        Assert.Equal((20_000.00m, 20_000.00m), (credit.Amount.Amount, credit.BalanceAfter.Amount));
        Assert.Contains("SZPD-SZ-2026-17", credit.Explanation);
    }

    [Fact]
    public async Task A_second_seizure_of_the_same_money_is_refused_with_409_and_changes_nothing()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var freezeId = await FrozenAsync(caseNumber, asked: 1_000.00m);
        var first = await _investigator.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-1", "court seizure order", 600.00m));
        var seizureId = first.Content!.SeizureId;
        await Eventually.Until(() => Content(_investigator.GetSeizureAsync(seizureId)), s => s?.Workflow?.State == "Seized", what: "the first seizure");
        await Eventually.Until(() => Content(_investigator.GetRecoveryPoolAsync(caseNumber)), p => p?.Balances.Count == 1, what: "the pool credit");
        var events = await _system.CountEventsAsync();
        var fundsBefore = await FundsAsync(caseNumber, freezeId);

        var second = await _investigator.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-2", "same money again", 600.00m));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.ErrorMediaType());
        Assert.Contains("seizure.exceeds-available", second.ErrorContent());
        Assert.Contains("Only 400.00 CNY", second.ErrorContent());
        Assert.Equal(events, await _system.CountEventsAsync());
        Assert.Equal(fundsBefore, await FundsAsync(caseNumber, freezeId));
        Assert.Equal([new Money(600.00m, "CNY")], (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!.Balances);
        Assert.Equal([seizureId], (await _investigator.ListSeizuresAsync(caseNumber)).Content!.Select(s => s.SeizureId));
        Assert.Equal(400.00m, (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(freezeId)).Content!.FrozenAmount!.Amount);
    }

    [Fact]
    public async Task Two_seizures_racing_for_the_same_frozen_sum_one_wins()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var freezeId = await FrozenAsync(caseNumber, asked: 1_000.00m);
        var racers = new[] { "inspector-wu", "inspector-ma" }.Select(s => _seizure.Client<ISeizureApi>(Roles.Investigator, s)).ToList();

        using var start = new ManualResetEventSlim(false);
        var attempts = racers.Select((api, i) => Task.Run(async () =>
        {
            start.Wait();
            return await api.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest($"SZPD-SZ-RACE-{i}", "court seizure order", 700.00m));
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(attempts);

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        var loser = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("seizure.exceeds-available", loser.ErrorContent());

        var seizureId = winner.Content!.SeizureId;
        await Eventually.Until(() => Content(_investigator.GetSeizureAsync(seizureId)), s => s?.Workflow?.State == "Seized", what: "the winner's seizure");
        var funds = await Eventually.Until(() => FundsAsync(caseNumber, freezeId), f => f?.Seized.Amount == 700.00m, what: "custody in the funds");
        Assert.Equal((300.00m, 0m, 300.00m), (funds!.Frozen.Amount, funds.Reserved.Amount, funds.AvailableToSeize.Amount));
        Assert.Equal([seizureId], (await _investigator.ListSeizuresAsync(caseNumber)).Content!.Select(s => s.SeizureId));
        Assert.Equal(300.00m, (await _freeze.Client<IFreezeApi>(Roles.Investigator).GetAsync(freezeId)).Content!.FrozenAmount!.Amount);
        var pool = await Eventually.Until(() => Content(_investigator.GetRecoveryPoolAsync(caseNumber)), p => p?.Balances.Count == 1, what: "the pool");
        Assert.Equal([new Money(700.00m, "CNY")], pool!.Balances);
    }

    [Fact]
    public async Task A_disposal_credits_its_net_proceeds_to_the_pool()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var registered = await _investigator.RegisterAssetAsync(Car(caseNumber));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var assetId = registered.Content!.AssetId;
        Assert.Equal(("Held", true), (registered.Content.Status, registered.Content.Recoverability.Recoverable));
        // The owner's identity number is kept encrypted and shown masked.
        Assert.Equal("**************1234", registered.Content.Owner.IdentityNumberMasked);
        Assert.Equal(0L, await _system.ScalarAsync<long>(
            $"SELECT count(*) FROM {_system.EventsSchema}.mt_events WHERE data::text LIKE '%440301198805051234%'"));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await _investigator.RecordValuationAsync(assetId, new RecordValuationRequest(192_000.00m, "CNY", today.AddDays(-30),
            ValuationMethod.ProfessionalAppraisal, "VAL-2026-3", "Shenzhen Appraisal Co."));
        var valued = await _investigator.RecordValuationAsync(assetId, new RecordValuationRequest(188_500.00m, "CNY", today,
            ValuationMethod.AuctionReserve, "VAL-2026-9"));
        Assert.Equal(HttpStatusCode.OK, valued.StatusCode);
        Assert.Equal([192_000.00m, 188_500.00m], valued.Content!.Valuations.Select(v => v.Value.Amount));
        Assert.Equal(188_500.00m, valued.Content.CurrentValuation!.Value.Amount);

        var disposed = await _investigator.RecordDisposalAsync(assetId, new RecordDisposalRequest(DisposalMethod.Auction, 185_000.00m, 5_550.00m,
            "CNY", today, "AUC-2026-41", "court-ordered auction", "Shenzhen Auction House"));

        Assert.Equal(HttpStatusCode.OK, disposed.StatusCode);
        Assert.Equal("Disposed", disposed.Content!.Status);
        Assert.Equal(new Money(179_450.00m, "CNY"), disposed.Content.Disposal!.NetProceeds);
        var pool = (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!;
        Assert.Equal([new Money(179_450.00m, "CNY")], pool.Balances);
        var credit = (await _investigator.GetRecoveryPoolMovementsAsync(caseNumber)).Content!.Items.Single();
        Assert.Equal(("Credit", nameof(RecoveryPoolCreditSource.DisposalProceeds), assetId, "inspector-wu"),
            (credit.Kind, credit.Source, credit.SourceId, credit.By.Subject));
        Assert.Contains("price 185000.00 less fees 5550.00 CNY", credit.Explanation);

        // Sold once only.
        var again = await _investigator.RecordDisposalAsync(assetId, new RecordDisposalRequest(DisposalMethod.Sale, 1.00m, 0m, "CNY", today,
            "AUC-2026-42", "again"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("asset.not-held", again.ErrorContent());
        Assert.Equal([new Money(179_450.00m, "CNY")], (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!.Balances);
    }

    [Fact]
    public async Task The_inventory_lists_a_cases_assets_by_type_and_each_type_across_cases()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var other = FreezeRequests.NewCaseNumber();
        var car = (await _investigator.RegisterAssetAsync(Car(caseNumber))).Content!.AssetId;
        var coins = (await _investigator.RegisterAssetAsync(new RegisterAssetRequest(caseNumber, AssetType.VirtualCurrency, "USDT in the mule's wallet",
            new AssetOwnerInput("Li Si"), "SZPD-SZ-2026-18", "bought with victims' money",
            VirtualCurrency: new VirtualCurrencyHolding("Tron", "USDT", "TXa1b2c3d4e5f6", 125_000.123456m)))).Content!;
        var otherCar = (await _investigator.RegisterAssetAsync(Car(other))).Content!.AssetId;
        Assert.Equal(125_000.123456m, coins.VirtualCurrency!.Quantity);

        var court = _seizure.Client<ISeizureApi>(Roles.Court, "judge-zhao");
        Assert.Equal([car, coins.AssetId], (await court.ListCaseAssetsAsync(caseNumber)).Content!.Items.Select(a => a.AssetId));
        Assert.Equal([coins.AssetId], (await court.ListCaseAssetsAsync(caseNumber, AssetType.VirtualCurrency)).Content!.Items.Select(a => a.AssetId));
        Assert.Empty((await court.ListCaseAssetsAsync(caseNumber, AssetType.RealEstate)).Content!.Items);
        var vehicles = (await court.ListAssetsByTypeAsync(AssetType.Vehicle)).Content!;
        Assert.Equal([car, otherCar], vehicles.Items.Select(a => a.AssetId));
        Assert.Equal(2, vehicles.Total);
    }

    [Fact]
    public async Task A_pool_debit_larger_than_the_balance_is_refused_and_one_within_it_is_paid()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var assetId = (await _investigator.RegisterAssetAsync(Car(caseNumber))).Content!.AssetId;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await _investigator.RecordDisposalAsync(assetId, new RecordDisposalRequest(DisposalMethod.Sale, 10_000.00m, 0.01m, "CNY", today, "SALE-1", "sold"));
        var judge = new Actor("judge-zhao", "Judge Zhao", Roles.Court);
        var bus = _seizure.Services.GetRequiredService<IBus>();

        // Restitution is the only one who debits, over the bus.
        var tooMuch = new DebitRecoveryPool(Guid.NewGuid(), caseNumber, new Money(10_000.00m, "CNY"), "RST-2026-7", "distribution round 1", judge);
        await bus.Publish(tooMuch);

        var refused = await Eventually.Until(() => MovementsAsync(caseNumber), m => m.Any(x => x.Kind == "DebitRefused"), what: "the refusal");
        var refusal = refused.Single(m => m.Kind == "DebitRefused");
        Assert.Equal((tooMuch.InstructionId, 10_000.00m, 9_999.99m), (refusal.InstructionId, refusal.Amount.Amount, refusal.BalanceAfter.Amount));
        Assert.Contains("pool.insufficient-balance", refusal.Explanation);
        Assert.Equal([new Money(9_999.99m, "CNY")], (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!.Balances);

        var payment = tooMuch with { InstructionId = Guid.NewGuid(), Amount = new Money(9_999.99m, "CNY") };
        await bus.Publish(payment);

        var paid = await Eventually.Until(() => MovementsAsync(caseNumber), m => m.Any(x => x.Kind == "Debit"), what: "the debit");
        var debit = paid.Single(m => m.Kind == "Debit");
        Assert.Equal((payment.InstructionId, 0m, "judge-zhao"), (debit.InstructionId, debit.BalanceAfter.Amount, debit.By.Subject));
        var pool = (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!;
        Assert.Equal([new Money(0m, "CNY")], pool.Balances);
        Assert.Equal([new Money(9_999.99m, "CNY")], pool.Debited);
        Assert.Equal(["Credit", "DebitRefused", "Debit"], paid.Select(m => m.Kind));
    }

    [Fact]
    public async Task Releases_and_direct_hand_overs_at_the_freeze_service_reach_custody()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var freezeId = await FrozenAsync(caseNumber, asked: 5_000.00m);
        var freezes = _freeze.Client<IFreezeApi>(Roles.Investigator, "inspector-wu");

        Assert.Equal(HttpStatusCode.OK, (await freezes.ReleaseAsync(freezeId, new ReleaseFreezeRequest("victim's own salary", "REL-1", 500.00m))).StatusCode);
        await Eventually.Until(() => FundsAsync(caseNumber, freezeId), f => f?.AvailableToSeize.Amount == 4_500.00m, what: "the release to reach seizure");
        Assert.Equal(HttpStatusCode.OK, (await freezes.HandOverToSeizureAsync(freezeId, new ReleaseFreezeRequest("seizure order", "SZPD-SZ-9", 1_500.00m))).StatusCode);

        var funds = await Eventually.Until(() => FundsAsync(caseNumber, freezeId), f => f?.Seized.Amount == 1_500.00m, what: "the hand-over to reach seizure");
        Assert.Equal((3_000.00m, 3_000.00m, 500.00m), (funds!.Frozen.Amount, funds.AvailableToSeize.Amount, funds.Released.Amount));
        var direct = Assert.Single((await _investigator.ListSeizuresAsync(caseNumber)).Content!);
        Assert.Equal(("Seized", true, 1_500.00m, "SZPD-SZ-9"), (direct.Status, direct.Direct, direct.Amount.Amount, direct.LegalDocumentReference));
        Assert.Equal([new Money(1_500.00m, "CNY")], (await _investigator.GetRecoveryPoolAsync(caseNumber)).Content!.Balances);

        // More than what is left cannot be seized: the freeze now holds 3,000.00.
        var tooMuch = await _investigator.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest("SZPD-SZ-10", "the rest", 3_000.01m));
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_field_errors_and_writes_nothing()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var freezeId = await FrozenAsync(caseNumber, asked: 1_000.00m);
        var events = await _system.CountEventsAsync();

        var seizure = await _investigator.SeizeFrozenFundsAsync(freezeId, new SeizeFrozenFundsRequest(" ", null, 10.001m));
        Assert.Equal(HttpStatusCode.BadRequest, seizure.StatusCode);
        foreach (var field in new[] { "\"amount\"", "\"legalDocumentReference\"", "\"reason\"" }) Assert.Contains(field, seizure.ErrorContent());

        Assert.Equal(HttpStatusCode.NotFound,
            (await _investigator.SeizeFrozenFundsAsync(Guid.NewGuid(), new SeizeFrozenFundsRequest("SZPD-SZ-1", "r", 1m))).StatusCode);

        var asset = await _investigator.RegisterAssetAsync(Car(caseNumber) with
        {
            RealEstate = new RealEstateDetails("1 Shennan Road", null),
            ThirdParty = new ThirdPartyAcquisition("Wang Wu", false, new Money(150_000m, "CNY"), null, false),
        });
        Assert.Equal(HttpStatusCode.BadRequest, asset.StatusCode);
        Assert.Contains("\"realEstate\"", asset.ErrorContent());
        Assert.Contains("\"thirdParty.marketValue\"", asset.ErrorContent());

        Assert.Equal(events, await _system.CountEventsAsync());
        Assert.Equal(1_000.00m, (await FundsAsync(caseNumber, freezeId))!.AvailableToSeize.Amount);
    }

    [Fact]
    public async Task Court_reads_but_only_investigators_change_anything()
    {
        var caseNumber = FreezeRequests.NewCaseNumber();
        var assetId = (await _investigator.RegisterAssetAsync(Car(caseNumber))).Content!.AssetId;

        var court = _seizure.Client<ISeizureApi>(Roles.Court, "judge-zhao");
        Assert.Equal(HttpStatusCode.OK, (await court.GetAssetAsync(assetId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await court.GetRecoveryPoolAsync(caseNumber)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await court.GetFrozenFundsAsync(caseNumber)).StatusCode);

        foreach (var role in new[] { Roles.Court, Roles.BankLiaison, Roles.Victim })
        {
            var api = _seizure.Client<ISeizureApi>(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.RegisterAssetAsync(Car(caseNumber))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.SeizeFrozenFundsAsync(Guid.NewGuid(), new SeizeFrozenFundsRequest("D", "r"))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.RecordDisposalAsync(assetId, new RecordDisposalRequest(DisposalMethod.Sale, 1m, 0m, "CNY",
                DateOnly.FromDateTime(DateTime.UtcNow), "D", "r"))).StatusCode);
        }
        foreach (var role in new[] { Roles.BankLiaison, Roles.Victim })
            Assert.Equal(HttpStatusCode.Forbidden, (await _seizure.Client<ISeizureApi>(role).GetRecoveryPoolAsync(caseNumber)).StatusCode);
        Assert.Contains("/api/frozen-funds/{freezeId}/seizures", await _seizure.HttpClient().GetStringAsync("/swagger/v1/swagger.json"));
    }

    /// <summary>A freeze the bank executed (in part when <paramref name="frozen"/> is given), once seizure has learnt of it.</summary>
    private async Task<Guid> FrozenAsync(string caseNumber, decimal asked, decimal? frozen = null)
    {
        var liaison = _freeze.Client<IFreezeApi>(Roles.BankLiaison, "officer-li");
        var freezeId = (await liaison.SubmitAsync(FreezeRequests.Valid(caseNumber, asked))).Content!.FreezeId;
        var executed = await liaison.RecordBankExecutionAsync(freezeId, frozen is { } part
            ? new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInPart, FrozenAmount: part, BalanceAtExecution: part)
            : new RecordBankExecutionRequest(BankExecutionOutcome.FrozenInFull));
        Assert.Equal(HttpStatusCode.OK, executed.StatusCode);
        await Eventually.Until(() => FundsAsync(caseNumber, freezeId), f => f?.AvailableToSeize.Amount == (frozen ?? asked),
            what: "seizure to learn of the frozen money");
        return freezeId;
    }

    private async Task<FrozenFundsView?> FundsAsync(string caseNumber, Guid freezeId) =>
        (await _investigator.GetFrozenFundsAsync(caseNumber)).Content?.SingleOrDefault(f => f.FreezeId == freezeId);

    private async Task<IReadOnlyList<RecoveryPoolMovementView>> MovementsAsync(string caseNumber) =>
        (await _investigator.GetRecoveryPoolMovementsAsync(caseNumber)).Content?.Items ?? [];

    private static async Task<T?> Content<T>(Task<Refit.IApiResponse<T>> call) => (await call).Content;

    private static RegisterAssetRequest Car(string caseNumber) => new(
        caseNumber, AssetType.Vehicle, "BYD Han EV, black, bought with victims' money", new AssetOwnerInput("Zhang San", "440301198805051234"),
        "SZPD-SZ-2026-17", "bought with proceeds of the fraud",
        Vehicle: new VehicleDetails("粤B·D12345", "LGXCE4CB8N0012345", "BYD Han EV"), Documents: ["SZPD-SZ-2026-17", "vehicle-registration-scan"]);
}
