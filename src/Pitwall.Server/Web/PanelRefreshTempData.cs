using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Pitwall.Server.Web;

/// <summary>
/// Keeps the live panel refreshes (GET <c>?handler=…Panel</c> / <c>…Panels</c>, sent by the pages' scripts) away from the
/// message a form leaves for the next page. The portal keeps that message in a cookie; a refresh that was in flight
/// while the form was posted would otherwise answer with that cookie emptied and the message would never show. A
/// refresh reads nothing from it and writes nothing to it.
/// </summary>
internal sealed class PanelRefreshTempData(ITempDataProvider inner) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) =>
        IsPanelRefresh(context) ? new Dictionary<string, object>() : inner.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (!IsPanelRefresh(context))
        {
            inner.SaveTempData(context, values);
        }
    }

    private static bool IsPanelRefresh(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && context.Request.Query["handler"].ToString() is { Length: > 0 } handler &&
        (handler.EndsWith("Panel", StringComparison.OrdinalIgnoreCase) || handler.EndsWith("Panels", StringComparison.OrdinalIgnoreCase));

    /// <summary>Wraps whatever provider MVC registered (the cookie one).</summary>
    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITempDataProvider));
        services.Remove(original);
        services.AddSingleton<ITempDataProvider>(sp => new PanelRefreshTempData((ITempDataProvider)(
            original.ImplementationFactory?.Invoke(sp) ?? original.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }
}
