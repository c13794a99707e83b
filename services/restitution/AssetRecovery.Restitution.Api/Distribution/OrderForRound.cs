using System.Data;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Restitution;
using AssetRecovery.Restitution.Claimants;
using AssetRecovery.Restitution.Orders;
using Marten;
using Npgsql;

namespace AssetRecovery.Restitution.Distribution;

/// <summary>A victim the order names, with the loss the investigator verified on their claim (null when none was).</summary>
/// <param name="AdjudicatedLoss">In the order's currency, as is <paramref name="RecoveredElsewhere"/>.</param>
public sealed record VictimForRound(Guid ClaimId, string Name, decimal AdjudicatedLoss, decimal RecoveredElsewhere, Money? VerifiedLoss);

/// <summary>
/// The case's current restitution order as a round is worked out from it, its victims joined to their claims' verified
/// losses. The victims are read from their rows (<see cref="OrderVictimRows"/>) joined in PostgreSQL, and arrive as
/// plain columns: a round for 100,000 victims neither deserializes the order's megabytes nor sends 100,000 claim ids
/// to be looked up.
/// </summary>
public sealed record OrderForRound(Guid OrderId, string CaseNumber, int OrderVersion, string Currency, DistributionPolicy Policy,
    IReadOnlyList<OrderedCreditor> Creditors, IReadOnlyList<VictimForRound> Victims)
{
    /// <summary>Null when the case has no order. Both reads see one snapshot, so the victims belong to the version read.</summary>
    public static async Task<OrderForRound?> ReadAsync(NpgsqlDataSource database, IQuerySession session, string caseNumber,
        CancellationToken ct)
    {
        var options = session.DocumentStore.Options;
        var claimants = options.Schema.For<Claimant>();
        var victimRows = OrderVictimRows.QualifiedName(options);
        var orderId = RestitutionOrder.StreamIdFor(caseNumber);

        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // Room to sort 100,000 joined victims in memory, which the default 4 MB spilled to a temporary file.
                new NpgsqlBatchCommand("set local work_mem = '64MB'"),
                new NpgsqlBatchCommand(OrderSnapshot.OrderQuery(options)) { Parameters = { new() { Value = orderId } } },
                new NpgsqlBatchCommand($"""
                    select v.claim_id, v.name, v.adjudicated_loss, v.recovered_elsewhere,
                           (c.data -> 'VerifiedLoss' ->> 'Amount')::numeric, c.data -> 'VerifiedLoss' ->> 'Currency'
                    from {victimRows} v
                    left join {claimants} c on c.id = v.claim_id
                    where v.order_id = $1
                    order by v.ordinal
                    """) { Parameters = { new() { Value = orderId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var order = options.Serializer().FromJson<RestitutionOrder>(reader, 0);
        await reader.NextResultAsync(ct);
        // In the order's sequence (the query sorts by ordinal): ties in a split go to the victim listed first.
        var victims = new List<VictimForRound>();
        while (await reader.ReadAsync(ct))
        {
            var verified = reader.IsDBNull(4) ? null : new Money(reader.GetDecimal(4), reader.GetString(5));
            victims.Add(new VictimForRound(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.GetDecimal(3), verified));
        }
        return new OrderForRound(order.Id, order.CaseNumber, order.OrderVersion, order.Terms.Currency, order.Terms.Policy,
            order.Terms.Creditors, victims);
    }
}
