using System.Xml.Linq;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Contracts;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AssetRecovery.ServiceDefaults;

/// <summary>
/// Encrypts identity document numbers (victims', asset owners') with ASP.NET Core data protection before they are
/// stored; only the writing service's key ring can read them back. The keys live in PostgreSQL (see <see cref="MartenKeyRepository"/>) so every instance and
/// every restart shares them.
/// </summary>
public sealed class IdNumberProtection(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AssetRecovery.IdNumber.v1");

    /// <summary>The number (normalised: no spaces or hyphens) encrypted, with its masked form.</summary>
    public ProtectedIdNumber Protect(string idNumber)
    {
        var normalized = IdNumbers.Normalize(idNumber);
        return new ProtectedIdNumber(_protector.Protect(normalized), IdNumbers.Mask(normalized));
    }

    public string Unprotect(ProtectedIdNumber idNumber) => _protector.Unprotect(idNumber.Ciphertext);

    public static void AddTo(IServiceCollection services, string serviceName)
    {
        services.AddDataProtection().SetApplicationName($"assetrecovery-{serviceName}");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new MartenKeyRepository(provider.GetRequiredService<IDocumentStore>())));
        services.AddSingleton<IdNumberProtection>();
    }
}

/// <summary>A data-protection key as stored: its friendly name and the key ring's XML element.</summary>
public sealed class DataProtectionKey
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// The data-protection key ring in the service's document schema. The framework's interface is synchronous; it is
/// called rarely (key ring load and rotation), so blocking on the store here is acceptable.
/// </summary>
public sealed class MartenKeyRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        return session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
