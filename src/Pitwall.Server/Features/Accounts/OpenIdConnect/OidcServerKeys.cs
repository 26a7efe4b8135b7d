using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// The provider's keys and lifetimes. The signing and encryption keys (RSA 2048) live in <c>oidc_keys</c>: the first instance to
/// start makes them and every instance on the same database uses them, so tokens survive restarts and work behind a load balancer.
/// The keys are kept encrypted with ASP.NET data protection (whose key ring is in <c>data_protection_keys</c>): a row still in
/// plain PEM (made before migration 0047) is encrypted the first time an instance loads it.
/// Runs once, when OpenIddict's options are first built (after the migrations).
/// </summary>
internal sealed class OidcServerKeys(Database database, TimeProvider time, IOptions<AccountOptions> accounts, IDataProtectionProvider protection)
    : IConfigureOptions<OpenIddictServerOptions>
{
    private readonly IDataProtector _protector = protection.CreateProtector("Pitwall.Accounts.OidcKeys.v1");

    public void Configure(OpenIddictServerOptions options)
    {
        options.SigningCredentials.Add(new SigningCredentials(Load("signing"), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(Load("encryption"), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        options.AccessTokenLifetime = accounts.Value.AccessTokenLifetime;
        options.RefreshTokenLifetime = accounts.Value.RefreshTokenLifetime;
    }

    private RsaSecurityKey Load(string purpose)
    {
        // Data protection runs outside the write transactions: it may write a new key of its own, and SQLite's one writer would
        // wait for itself.
        using var fresh = RSA.Create(2048);
        var freshProtected = _protector.Protect(fresh.ExportPkcs8PrivateKeyPem());
        var row = database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO oidc_keys (purpose, key_protected, created_at) VALUES (@purpose, @freshProtected, @now) ON CONFLICT (purpose) DO NOTHING",
                new { purpose, freshProtected, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            return await connection.QuerySingleAsync<(string? Pem, string? Protected)>(
                "SELECT key_pem, key_protected FROM oidc_keys WHERE purpose = @purpose", new { purpose }, transaction);
        }, CancellationToken.None).GetAwaiter().GetResult();
        var pem = row.Protected is { } stored ? _protector.Unprotect(stored) : row.Pem!;
        if (row.Protected is null)
        {
            // A key from before encryption at rest: encrypt it now, and keep no plain copy.
            var encrypted = _protector.Protect(pem);
            database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
                "UPDATE oidc_keys SET key_protected = @encrypted, key_pem = NULL WHERE purpose = @purpose AND key_protected IS NULL",
                new { purpose, encrypted }, transaction), CancellationToken.None).GetAwaiter().GetResult();
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = Hosting.Hashing.Sha256Hex(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()))[..16] };
    }
}
