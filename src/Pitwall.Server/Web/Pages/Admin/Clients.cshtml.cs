using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts.OpenIdConnect;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>The client registry (as <c>/api/v1/admin/clients</c> and <c>pitwall admin create-client</c>): administrators register
/// apps and partner back ends, give a partner a new secret (shown once) and remove a client.</summary>
internal sealed class AdminClientsModel(ClientRegistry registry, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<ClientResponse> Clients { get; private set; } = [];

    /// <summary>The client just registered or given a new secret: the only time its secret is shown.</summary>
    public ClientResponse? Shown { get; private set; }

    public string? Removed { get; private set; }

    [BindProperty]
    public string? Kind { get; set; } = ClientKinds.ThirdParty;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? RedirectUris { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Clients = await registry.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var uris = (RedirectUris ?? "").Split(['\n', ' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new ClientRequest(Kind, Name, uris, Scopes);
        var errors = ClientRegistry.Validate(request);
        if (errors.Any)
        {
            AddErrors(errors, t);
        }
        else
        {
            Shown = await registry.CreateAsync(request, cancellationToken);
            ModelState.Clear();
            (Name, RedirectUris, Scopes) = (null, null, []);
        }
        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRotateAsync(string? clientId, CancellationToken cancellationToken)
    {
        var (client, refusal) = await registry.RotateSecretAsync(clientId ?? "", cancellationToken);
        Shown = client;
        if (refusal is not null)
        {
            ShowRefusal(refusal, t);
        }
        return await PageAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (await registry.DeleteAsync(clientId ?? "", cancellationToken) is { } refusal)
        {
            ShowRefusal(refusal, t);
        }
        else
        {
            Removed = clientId;
        }
        return await PageAsync(cancellationToken);
    }

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        Clients = await registry.ListAsync(cancellationToken);
        return Page();
    }
}
