using System.Security.Claims;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetRecovery.ServiceDefaults;

/// <summary>The roles a token can carry (claim "role").</summary>
public static class Roles
{
    public const string BankLiaison = nameof(BankLiaison);
    public const string Investigator = nameof(Investigator);
    public const string Court = nameof(Court);
    public const string Victim = nameof(Victim);
}

public static class RoleAuthorization
{
    /// <summary>A bank liaison officer acts for one bank; one who is also an investigator is not bank-scoped.</summary>
    public static bool IsBankLiaisonOnly(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.BankLiaison) && !user.IsInRole(Roles.Investigator);

    /// <summary>The bank a bank liaison officer's token names (claim bank_code); null for other callers or no bank named.</summary>
    public static string? LiaisonBank(this ClaimsPrincipal user) =>
        user.IsBankLiaisonOnly() && user.FindFirstValue(JwtClaims.BankCode) is { } bank && !string.IsNullOrWhiteSpace(bank) ? bank.Trim() : null;

    /// <summary>Only callers holding one of these roles reach the endpoint; others get 403.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(roles));

    /// <summary>The caller as recorded in events: subject, name, and the first of the allowed roles they hold.</summary>
    public static Actor ToActor(this ClaimsPrincipal user, params string[] allowedRoles)
    {
        // Every state change records who: a token that does not say who it is cannot change anything.
        var subject = user.FindFirstValue(JwtClaims.Subject)
                      ?? throw new AccessDeniedException("The token names no subject (claim 'sub'); it cannot be recorded as the actor.");
        var role = allowedRoles.FirstOrDefault(user.IsInRole)
                   ?? user.FindFirstValue(JwtClaims.Role) ?? "";
        return new Actor(subject, user.FindFirstValue(JwtClaims.Name) ?? subject, role);
    }

    public static Actor CurrentActor(this HttpContext http, params string[] allowedRoles) => http.User.ToActor(allowedRoles);
}

/// <summary>Claim names as they stand in our tokens (inbound claim mapping is off).</summary>
public static class JwtClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>The bank a bank liaison officer works for.</summary>
    public const string BankCode = "bank_code";
    /// <summary>A case an investigator works on (repeated per case); a token without any covers every case.</summary>
    public const string Case = "case";
}

/// <summary>Which cases an investigator's token covers.</summary>
public static class CaseScope
{
    /// <summary>True when the token names no cases (a unit-wide investigator) or names this one; a claim with no case yet is everyone's intake.</summary>
    public static bool Includes(ClaimsPrincipal user, string? caseNumber)
    {
        var cases = user.FindAll(JwtClaims.Case).Select(c => c.Value).ToList();
        return cases.Count == 0 || caseNumber is null || cases.Contains(caseNumber, StringComparer.Ordinal);
    }
}
