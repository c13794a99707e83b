using System.Collections.Immutable;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using AssetRecovery.Contracts.Seizure;

namespace AssetRecovery.Seizure.Domain;

/// <summary>
/// The money recovered for one case, per currency (inline snapshot of the case's pool stream). Every movement is an event
/// on the stream, so the balance is always explained; a debit is decided against the version it read, so two debits
/// racing cannot both spend the same balance.
/// </summary>
public sealed record RecoveryPool
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public required string CaseNumber { get; init; }
    public ImmutableDictionary<string, decimal> Balances { get; init; } = ImmutableDictionary<string, decimal>.Empty;
    public ImmutableDictionary<string, decimal> Credited { get; init; } = ImmutableDictionary<string, decimal>.Empty;
    public ImmutableDictionary<string, decimal> Debited { get; init; } = ImmutableDictionary<string, decimal>.Empty;
    /// <summary>Restitution instructions already acted on (debited or refused).</summary>
    public ImmutableList<Guid> Instructions { get; init; } = [];

    /// <summary>The pool's stream id: derived from the case number, so every writer finds the same stream.</summary>
    public static Guid StreamIdFor(string caseNumber) => NameBasedIds.For($"assetrecovery/recovery-pool/{caseNumber}");

    public Money BalanceOf(string currency) => new(Balances.GetValueOrDefault(currency), currency);

    public static RecoveryPool Create(RecoveryPoolCredited e) => New(e.CaseNumber).Apply(e);

    /// <summary>A debit instruction may reach a case that has no pool yet: its refusal starts the stream.</summary>
    public static RecoveryPool Create(RecoveryPoolDebitRefused e) => New(e.CaseNumber).Apply(e);

    public RecoveryPool Apply(RecoveryPoolCredited e) => this with
    {
        Balances = Add(Balances, e.Amount, +1),
        Credited = Add(Credited, e.Amount, +1),
    };

    public RecoveryPool Apply(RecoveryPoolDebited e) => this with
    {
        Balances = Add(Balances, e.Amount, -1),
        Debited = Add(Debited, e.Amount, +1),
        Instructions = Instructions.Add(e.InstructionId),
    };

    public RecoveryPool Apply(RecoveryPoolDebitRefused e) => this with { Instructions = Instructions.Add(e.InstructionId) };

    private static RecoveryPool New(string caseNumber) => new() { Id = StreamIdFor(caseNumber), CaseNumber = caseNumber };

    private static ImmutableDictionary<string, decimal> Add(ImmutableDictionary<string, decimal> totals, Money money, int sign) =>
        totals.SetItem(money.Currency, totals.GetValueOrDefault(money.Currency) + sign * money.Amount);
}

/// <summary>The pool's rules: credits come from custody and disposals; debits only on restitution's instructions, never below zero.</summary>
public static class RecoveryPoolDecisions
{
    public static RecoveryPoolCredited Credit(string caseNumber, Money amount, RecoveryPoolCreditSource source, Guid sourceId,
        string explanation, Actor by, DateTimeOffset now)
    {
        if (amount.Amount <= 0m) throw new ArgumentOutOfRangeException(nameof(amount), amount, "A pool credit must be positive.");
        return new RecoveryPoolCredited(caseNumber, amount, source, sourceId, explanation, by, now);
    }

    /// <summary>
    /// Restitution's instruction to pay out of the pool: debited when the balance in its currency covers it, refused
    /// otherwise (or when the instruction is not valid); null when this instruction was already acted on.
    /// </summary>
    public static IDomainEvent? Debit(RecoveryPool? pool, DebitRecoveryPool instruction, DateTimeOffset now)
    {
        if (pool is not null && pool.Instructions.Contains(instruction.InstructionId)) return null;
        var amount = instruction.Amount ?? new Money(0m, "");
        var by = instruction.InstructedBy ?? new Actor("", "", "");
        var balance = pool?.BalanceOf(amount.Currency ?? "") ?? new Money(0m, amount.Currency ?? "");

        var v = new Validator()
            .Required("instructionReference", instruction.InstructionReference, 128)
            .Required("reason", instruction.Reason, 2000)
            .Required("instructedBy", instruction.InstructedBy?.Subject, 200)
            .Currency("currency", amount.Currency)
            .PositiveAmount("amount", amount.Amount, amount.Currency);
        if (instruction.InstructionId == Guid.Empty) v.Add("instructionId", "is required.");
        try
        {
            v.ThrowIfInvalid();
        }
        catch (RequestValidationException invalid)
        {
            return Refuse("pool.invalid-instruction", invalid.Message);
        }

        if (amount.Amount > balance.Amount)
            return Refuse("pool.insufficient-balance",
                $"The recovery pool of case {instruction.CaseNumber} holds {balance.Amount} {balance.Currency}; " +
                $"{amount.Amount} {amount.Currency} cannot be paid out of it.");
        return new RecoveryPoolDebited(instruction.CaseNumber, instruction.InstructionId, amount, instruction.InstructionReference.Trim(),
            instruction.Reason.Trim(), by, now);

        RecoveryPoolDebitRefused Refuse(string rule, string detail) =>
            new(instruction.CaseNumber, instruction.InstructionId, amount, balance, rule, detail, by, now);
    }
}
