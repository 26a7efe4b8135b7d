using System.Security.Cryptography;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The provider's signing and encryption keys are kept encrypted with data protection; a key stored in plain PEM before
/// (migration 0047) is encrypted at the next start and stays the same key.</summary>
public abstract class OidcKeysAtRestTests(PitwallServer server)
{
    private Task<List<(string Purpose, string? Pem, string? Protected)>> RowsAsync() => server.Get<Database>().ReadAsync(async c =>
        (await c.QueryAsync<(string, string?, string?)>("SELECT purpose, key_pem, key_protected FROM oidc_keys ORDER BY purpose")).ToList(), CancellationToken.None);

    private async Task<string> SigningKeyModulusAsync()
    {
        var jwks = await (await server.Client.GetAsync("/.well-known/jwks")).JsonAsync();
        return Assert.Single(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("use").GetString() == "sig").GetProperty("n").GetString()!;
    }

    [Fact]
    public async Task Keys_are_stored_encrypted_and_a_plain_key_from_before_is_encrypted_at_the_next_start()
    {
        await SigningKeyModulusAsync();
        var rows = await RowsAsync();
        Assert.Equal(["encryption", "signing"], rows.Select(r => r.Purpose));
        Assert.All(rows, r =>
        {
            Assert.Null(r.Pem);
            Assert.DoesNotContain("PRIVATE KEY", r.Protected!, StringComparison.Ordinal);
        });

        // As a database from before encryption at rest has it: the signing key in plain PEM.
        using var old = RSA.Create(2048);
        await server.Get<Database>().WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE oidc_keys SET key_pem = @pem, key_protected = NULL WHERE purpose = 'signing'", new { pem = old.ExportPkcs8PrivateKeyPem() }, t), CancellationToken.None);
        await server.RestartAsync();

        Assert.Equal(Base64Url(old.ExportParameters(false).Modulus!), await SigningKeyModulusAsync());
        var signing = Assert.Single(await RowsAsync(), r => r.Purpose == "signing");
        Assert.Null(signing.Pem);
        Assert.DoesNotContain("PRIVATE KEY", signing.Protected!, StringComparison.Ordinal);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class OidcKeysAtRestOnSqlite(SqliteServer server) : OidcKeysAtRestTests(server), IClassFixture<SqliteServer>;

public sealed class OidcKeysAtRestOnPostgres(PostgresServer server) : OidcKeysAtRestTests(server), IClassFixture<PostgresServer>;
