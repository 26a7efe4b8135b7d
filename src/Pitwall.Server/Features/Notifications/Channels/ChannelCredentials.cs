using System.Security.Cryptography;
using System.Text.Json;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>A provider setting that cannot work; the message names the setting, never a secret.</summary>
internal sealed class ChannelConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A Google service account, from the key file or from single settings.</summary>
internal sealed record FcmCredentials(string ProjectId, string ClientEmail, string? KeyId, RSA Key, Uri TokenUri);

/// <summary>Reads the providers' keys once; start-up validation and the clients share this so that both agree.</summary>
internal static class ChannelCredentials
{
    private const string FcmSection = NotificationChannelOptions.Section + ":Fcm";
    private const string ApnsSection = NotificationChannelOptions.Section + ":Apns";

    public static FcmCredentials LoadFcm(FcmOptions options)
    {
        string? projectId = options.ProjectId, clientEmail = options.ClientEmail, privateKey = options.PrivateKey, keyId = null, tokenUri = null;
        if (!string.IsNullOrWhiteSpace(options.CredentialsFile))
        {
            JsonElement file;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(options.CredentialsFile));
                file = document.RootElement.Clone();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new ChannelConfigurationException($"{FcmSection}:CredentialsFile cannot be read as a Google service account JSON key file: {e.GetType().Name}.", e);
            }
            if (file.ValueKind != JsonValueKind.Object)
            {
                throw new ChannelConfigurationException($"{FcmSection}:CredentialsFile is not a Google service account JSON key file.");
            }
            projectId = Blank(projectId) ? Text(file, "project_id") : projectId;
            clientEmail = Blank(clientEmail) ? Text(file, "client_email") : clientEmail;
            privateKey = Blank(privateKey) ? Text(file, "private_key") : privateKey;
            keyId = Text(file, "private_key_id");
            tokenUri = Text(file, "token_uri");
        }
        if (Blank(projectId))
        {
            throw new ChannelConfigurationException($"{FcmSection}:ProjectId is missing (and not in the key file).");
        }
        if (Blank(clientEmail) || Blank(privateKey))
        {
            throw new ChannelConfigurationException($"{FcmSection} needs service account credentials: CredentialsFile, or ClientEmail and PrivateKey.");
        }
        var uri = Url(!Blank(options.TokenUri) ? options.TokenUri : !Blank(tokenUri) ? tokenUri : FcmOptions.DefaultTokenUri, $"{FcmSection}:TokenUri");
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKey);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new ChannelConfigurationException($"{FcmSection}:PrivateKey is not an RSA private key in PEM form.", e);
        }
        return new FcmCredentials(projectId!, clientEmail!, keyId, rsa, uri);
    }

    public static ECDsa LoadApnsKey(ApnsOptions options)
    {
        var pem = options.PrivateKey;
        if (Blank(pem) && !Blank(options.PrivateKeyFile))
        {
            try
            {
                pem = File.ReadAllText(options.PrivateKeyFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ChannelConfigurationException($"{ApnsSection}:PrivateKeyFile cannot be read: {e.GetType().Name}.", e);
            }
        }
        if (Blank(pem))
        {
            throw new ChannelConfigurationException($"{ApnsSection} needs the .p8 key: PrivateKey or PrivateKeyFile.");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("not P-256");
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ChannelConfigurationException($"{ApnsSection}:PrivateKey is not an ES256 (P-256) private key in PEM (.p8) form.", e);
        }
        return key;
    }

    public static Uri Url(string? value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ChannelConfigurationException($"{setting} must be an absolute http(s) URL.");
        }
        return uri;
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static string? Text(JsonElement file, string name) =>
        file.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
