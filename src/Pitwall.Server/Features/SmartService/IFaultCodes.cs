namespace Pitwall.Server.Features.SmartService;

/// <summary>The generic OBD-II fault code list (SAE J2012 descriptions, MIT, embedded once) as other features read it, e.g. the
/// breakdown call's diagnosis (F2).</summary>
public interface IFaultCodes
{
    /// <summary>The code's system (Powertrain, Chassis, Body, Network) and description; null when the list does not know it.</summary>
    (string System, string Description)? Find(string code);
}
