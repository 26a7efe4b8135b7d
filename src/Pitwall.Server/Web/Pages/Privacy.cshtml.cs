using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy;

namespace Pitwall.Server.Web.Pages;

/// <summary>
/// The data-category register for everyone (P3, P4): what the platform keeps, why, on what legal basis, for how long and
/// who else gets it — the same declarations as <c>GET /api/v1/privacy/data-categories</c> and docs/privacy-register.md.
/// Open without signing in, so that a data-protection officer or a future customer can read it too.
/// </summary>
internal sealed class PrivacyModel(DataCategoryRegister register) : PortalPage
{
    public IReadOnlyList<DataCategoryResponse> Categories { get; } = register.All.Select(DataCategoryResponse.From).ToList();
}
