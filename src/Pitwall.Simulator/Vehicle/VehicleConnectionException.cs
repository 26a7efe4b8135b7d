using System.Net;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>A connection attempt failed: the challenge or the upgrade was refused, the network failed, or no welcome came.</summary>
public sealed class VehicleConnectionException : Exception
{
    public VehicleConnectionException()
    {
    }

    public VehicleConnectionException(string message) : base(message)
    {
    }

    public VehicleConnectionException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public VehicleConnectionException(string message, HttpStatusCode? statusCode, ProtocolError? error = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Error = error;
    }

    /// <summary>The HTTP status of a refused challenge or upgrade (401 = the handshake was rejected).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The error the server sent before closing, if any.</summary>
    public ProtocolError? Error { get; }
}
