using System.Security.Claims;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Freeze.Domain;
using AssetRecovery.ServiceDefaults;

namespace AssetRecovery.Freeze.Features;

/// <summary>
/// A bank liaison officer whose token names their bank (claim bank_code) acts only on that bank's freezes: submitting
/// for another bank is refused (403), and another bank's freezes are not there for them (404). Investigators are not
/// scoped. Outside Development a liaison token without the claim is refused altogether (LiaisonBankCodeRule); in
/// Development such a token is not scoped.
/// </summary>
public static class BankScope
{
    public static string? Of(ClaimsPrincipal user) =>
        user.LiaisonBank() is { } bank ? AccountNumbers.NormalizeBankCode(bank) : null;

    public static void EnsureMaySubmit(ClaimsPrincipal user, string? bankCode)
    {
        if (Of(user) is { } own && bankCode is not null && AccountNumbers.NormalizeBankCode(bankCode) != own)
            throw new AccessDeniedException($"A liaison officer of bank {own} submits requests for that bank only.");
    }

    public static void EnsureMaySee(ClaimsPrincipal user, Domain.Freeze freeze)
    {
        if (Of(user) is { } own && freeze.BankCode != own) throw new ResourceNotFoundException("Freeze", freeze.Id.ToString());
    }

    /// <summary>An account at another bank is not there for a scoped liaison officer.</summary>
    public static void EnsureMaySeeAccount(ClaimsPrincipal user, string bankCode, string accountNumber)
    {
        if (Of(user) is { } own && AccountNumbers.NormalizeBankCode(bankCode) != own)
            throw new ResourceNotFoundException("Account", $"{bankCode}/{accountNumber}");
    }

    /// <summary>A batch submitted at another bank is not there for a scoped liaison officer.</summary>
    public static void EnsureMaySee(ClaimsPrincipal user, Batches.FreezeBatch batch)
    {
        if (Of(user) is { } own && batch.BankCode != own) throw new ResourceNotFoundException("Freeze batch", batch.Id.ToString());
    }

    /// <summary>Lists show a scoped liaison officer their own bank's freezes only.</summary>
    public static IQueryable<Domain.Freeze> VisibleTo(this IQueryable<Domain.Freeze> freezes, ClaimsPrincipal user) =>
        Of(user) is { } own ? freezes.Where(f => f.BankCode == own) : freezes;
}
