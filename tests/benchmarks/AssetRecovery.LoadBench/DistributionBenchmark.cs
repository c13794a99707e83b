using System.Diagnostics;
using System.Text.Json;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Clients.Seizure;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Contracts.Seizure;
using AssetRecovery.ServiceDefaults;
using Npgsql;
using NpgsqlTypes;

namespace AssetRecovery.LoadBench;

public sealed record DistributionResult(int Victims, string? Error, double SeedSeconds, double OrderSeconds, double PlanSeconds,
    int Allocations, decimal Distributed, bool Funded, double PaymentsSeconds, int Payments, PhaseUsage PlanUsage, PhaseUsage Usage);

/// <summary>
/// A restitution round for 100,000 victims: the victims' claims as restitution knows them, a recovery pool funded by
/// an asset's sale, the court's order naming every victim, then the round (pro rata, exact, largest remainders), timed
/// from the request to the answer; then until every payment is instructed. The round waits until the services have
/// finished what the order caused (the case ledger, victim-claim's copy): a court's order and the rounds it allows are
/// days apart, and the round is what is timed. <paramref name="settle"/> is that wait, recorded with the waits between phases.
/// </summary>
/// <remarks>
/// Filing 100,000 claims through the victim-claim service would take minutes of its own; the claims reach restitution as
/// <c>Claimant</c> documents (kept from ClaimFiled events), so this seeds those documents directly with binary COPY:
/// the order and the round then go through the APIs as a court and an investigator would use them.
/// </remarks>
public sealed class DistributionBenchmark(BenchSettings settings, SystemClients clients, NpgsqlDataSource database,
    Func<string, Task> settle)
{
    public async Task<DistributionResult> RunAsync()
    {
        var caseNumber = $"BENCH-{settings.RunId}-dist";
        var victims = Enumerable.Range(1, settings.Victims)
            .Select(i => (ClaimId: Guid.CreateVersion7(), Name: $"Victim {i:D6}", Loss: 1_000.00m + i % 997 + (i % 7) * 0.01m)).ToList();
        var totalLoss = victims.Sum(v => v.Loss);
        // The pool holds about 60 % of the losses: a pro rata round with remainders to place.
        var poolAmount = decimal.Round(totalLoss * 0.6m, 2);
        var clock = Stopwatch.StartNew();

        await SeedClaimantsAsync(caseNumber, victims);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        if (await FundPoolAsync(caseNumber, poolAmount) is { } fundingError) return Failed(fundingError);

        var court = clients.Create<IRestitutionApi>(settings.RestitutionUrl, Roles.Court, "bench-judge");
        var investigator = clients.Create<IRestitutionApi>(settings.RestitutionUrl, Roles.Investigator, "bench-investigator-dist");
        await using var memory = ServiceMemory.Start(settings.RepositoryRoot);
        clock.Restart();
        var order = await court.RecordOrderAsync(caseNumber, new RecordRestitutionOrderRequest("Bench Intermediate Court", $"BENCH-{settings.RunId}",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), ["Bench Defendant"], "CNY", DistributionPolicy.ProRata,
            victims.Select(v => new OrderedVictimInput(v.ClaimId, v.Name, v.Loss)).ToList()));
        var orderSeconds = clock.Elapsed.TotalSeconds;
        if (!order.IsSuccessStatusCode) return Failed($"order: {order.Failure()}");
        await settle("distribution round (after the order)");

        PhaseUsage planUsage;
        clock.Restart();
        await using (var planMemory = ServiceMemory.Start(settings.RepositoryRoot))
        {
            var round = await investigator.PlanRoundAsync(caseNumber, new PlanRoundRequest(poolAmount, $"BENCH-ROUND-{settings.RunId}"));
            var planSeconds = clock.Elapsed.TotalSeconds;
            planUsage = planMemory.Usage();
            if (round.Content is not { } planned) return Failed($"round: {round.Failure()}");

            var startedAt = DateTime.UtcNow;
            var payments = await FreezeSagas.WaitForAsync(() => CountPaymentsAsync(caseNumber), planned.AllocationCount, startedAt,
                TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(250));
            return new DistributionResult(victims.Count, null, seedSeconds, orderSeconds, planSeconds, planned.AllocationCount,
                planned.Distributed.Amount, payments.Reached, payments.At.TotalSeconds, payments.Last, planUsage, memory.Usage());
        }

        DistributionResult Failed(string error) =>
            new(victims.Count, error, seedSeconds, double.NaN, double.NaN, 0, 0, false, double.NaN, 0, PhaseUsage.None, PhaseUsage.None);
    }

    /// <summary>Restitution's Claimant documents, as its ClaimantConsumer would keep them from ClaimFiled events.</summary>
    private async Task SeedClaimantsAsync(string caseNumber, IReadOnlyList<(Guid ClaimId, string Name, decimal Loss)> victims)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            "copy restitution_service.mt_doc_claimant (id, data, mt_dotnet_type) from stdin (format binary)");
        var i = 0;
        foreach (var victim in victims)
        {
            var claimant = new Dictionary<string, object?>
            {
                ["Id"] = victim.ClaimId, ["VictimSubject"] = $"bench-victim-{settings.RunId}-{++i}", ["Name"] = victim.Name,
                ["CaseNumber"] = caseNumber, ["TraceVictimId"] = null, ["VerifiedLoss"] = null, ["DecidedAt"] = null,
                ["BankName"] = "ICBC", ["AccountNumber"] = $"6224{settings.RunId[^6..]}{i:D9}",
            };
            await import.StartRowAsync();
            await import.WriteAsync(victim.ClaimId, NpgsqlDbType.Uuid);
            await import.WriteAsync(JsonSerializer.Serialize(claimant), NpgsqlDbType.Jsonb);
            await import.WriteAsync("AssetRecovery.Restitution.Claimants.Claimant", NpgsqlDbType.Varchar);
        }
        await import.CompleteAsync();
    }

    /// <summary>A car of the case sold for the pool amount: the seizure service credits the net proceeds to the case's pool.</summary>
    private async Task<string?> FundPoolAsync(string caseNumber, decimal amount)
    {
        var seizure = clients.Create<ISeizureApi>(settings.SeizureUrl, Roles.Investigator, "bench-investigator-dist");
        var asset = await seizure.RegisterAssetAsync(new RegisterAssetRequest(caseNumber, AssetType.Vehicle, "Bench car bought with victims' money",
            new AssetOwnerInput("Bench Defendant"), $"BENCH-SZ-{settings.RunId}", "bought with proceeds of the fraud",
            Vehicle: new VehicleDetails($"BENCH{settings.RunId[^5..]}", $"LBENCH{settings.RunId}", "Bench Model")));
        if (asset.Content is not { } registered) return $"asset: {asset.Failure()}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var valued = await seizure.RecordValuationAsync(registered.AssetId, new RecordValuationRequest(amount, "CNY", today,
            ValuationMethod.ProfessionalAppraisal, $"BENCH-VAL-{settings.RunId}"));
        if (!valued.IsSuccessStatusCode) return $"valuation: {valued.Failure()}";
        var sold = await seizure.RecordDisposalAsync(registered.AssetId, new RecordDisposalRequest(DisposalMethod.Auction, amount, 0m, "CNY", today,
            $"BENCH-AUC-{settings.RunId}", "court-ordered auction"));
        return sold.IsSuccessStatusCode ? null : $"disposal: {sold.Failure()}";
    }

    private async Task<int> CountPaymentsAsync(string caseNumber)
    {
        await using var command = database.CreateCommand("select count(*) from restitution_service.mt_doc_payment where data ->> 'CaseNumber' = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = caseNumber });
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
