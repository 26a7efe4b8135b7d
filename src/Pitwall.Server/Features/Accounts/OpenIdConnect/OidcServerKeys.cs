using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// The provider's keys and lifetimes. The signing and encryption keys (RSA 2048) live in <c>oidc_keys</c>: the first instance to
/// start makes them and every instance on the same database uses them, so tokens survive restarts and work behind a load balancer.
/// Runs once, when OpenIddict's options are first built (after the migrations).
/// </summary>
internal sealed class OidcServerKeys(Database database, TimeProvider time, IOptions<AccountOptions> accounts) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        options.SigningCredentials.Add(new SigningCredentials(Load("signing"), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(Load("encryption"), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        options.AccessTokenLifetime = accounts.Value.AccessTokenLifetime;
        options.RefreshTokenLifetime = accounts.Value.RefreshTokenLifetime;
    }

    private RsaSecurityKey Load(string purpose)
    {
        var pem = database.WriteAsync(async (connection, transaction) =>
        {
            using var fresh = RSA.Create(2048);
            await connection.ExecuteAsync(
                "INSERT INTO oidc_keys (purpose, key_pem, created_at) VALUES (@purpose, @pem, @now) ON CONFLICT (purpose) DO NOTHING",
                new { purpose, pem = fresh.ExportPkcs8PrivateKeyPem(), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            return await connection.QuerySingleAsync<string>("SELECT key_pem FROM oidc_keys WHERE purpose = @purpose", new { purpose }, transaction);
        }, CancellationToken.None).GetAwaiter().GetResult();
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = Hosting.Hashing.Sha256Hex(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()))[..16] };
    }
}
