using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>What the car does with cloud frames: welcome and acks trim the resend buffer; sequenced frames are processed
/// once (duplicates only acked again) and acked cumulatively; an error is kept to decide how to reconnect.</summary>
public sealed partial class SimulatedVehicle
{
    private void Handle(Connection connection, ReadOnlySpan<byte> bytes)
    {
        var envelope = EnvelopeCodec.TryDecode(bytes, out var error);
        if (envelope is null)
        {
            if (error != ProtocolError.Types.Code.UnknownMessage)
            {
                Log($"ignored an unreadable frame ({error})");
                return;
            }
            // A newer server's message kind: nothing to do, but a sequenced one still needs its ack or it comes back.
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        var duplicate = false;
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.Welcome:
                OnWelcome(connection, envelope.Welcome);
                break;
            case Envelope.PayloadOneofCase.Ack:
                OnAck(envelope.Ack.UpToSeq);
                break;
            case Envelope.PayloadOneofCase.Error:
                OnError(connection, envelope.Error);
                break;
            default:
                duplicate = OnServerFrame(envelope);
                break;
        }
        var frame = new ReceivedFrame(envelope, duplicate);
        _received?.Writer.TryWrite(frame);
        FrameReceived?.Invoke(this, frame);
    }

    private void OnWelcome(Connection connection, Welcome welcome)
    {
        Connection? flush;
        lock (_gate)
        {
            if (_connection != connection || connection.Welcomed)
            {
                return;
            }
            if (welcome.LastReceivedSeq >= _seq.Last && _seq.Last != 0)
            {
                // The server holds seqs this car has not reached (its clock went back since an earlier run): frames that
                // never left the car get numbers above the server's, or it would take them for resends and drop them.
                Log("the server knows higher seqs than this car; renumbering unsent frames");
                _seq.AdvancePast(welcome.LastReceivedSeq);
                _buffer.RenumberUntransmitted(_seq.Next);
            }
            Acknowledged(welcome.LastReceivedSeq);
            _buffer.Rewind();
            connection.Welcomed = true;
            Connects++;
            _backoffAttempt = 0;
            _connected?.TrySetResult();
            _connected = null;
            flush = ClaimFlush();
        }
        connection.Welcome.TrySetResult();
        StartFlush(flush);
    }

    private void OnAck(ulong upToSeq)
    {
        lock (_gate)
        {
            Acknowledged(upToSeq);
        }
    }

    /// <summary>Drops what the server holds durably. Under the lock.</summary>
    private void Acknowledged(ulong upToSeq)
    {
        Acked += _buffer.RemoveUpTo(upToSeq);
        LastAckedSeq = Math.Max(LastAckedSeq, upToSeq);
        if (_buffer.Count == 0 && _allAcked is { } allAcked)
        {
            _allAcked = null;
            allAcked.TrySetResult();
        }
    }

    private void OnError(Connection connection, ProtocolError error)
    {
        lock (_gate)
        {
            connection.Error = error;
            LastError = error;
            ServerErrors++;
            if (error.Code == ProtocolError.Types.Code.SeqOutOfRange)
            {
                _buffer.RemoveRejected(error.Seq); // rejected for good: resending it would only be rejected again
            }
        }
        Log($"server error {error.Code} (seq {error.Seq}): {error.Message}");
    }

    /// <returns>True when the frame was a duplicate (acked again, not processed).</returns>
    private bool OnServerFrame(Envelope envelope)
    {
        string? pairingCode = null;
        string? shown = null;
        bool duplicate;
        lock (_gate)
        {
            duplicate = envelope.Seq != 0 && envelope.Seq <= LastServerSeq;
            if (duplicate)
            {
                _pendingAck = LastServerSeq;
            }
            else
            {
                switch (envelope.PayloadCase)
                {
                    case Envelope.PayloadOneofCase.DataRequest:
                        AnswerDataRequest(envelope.DataRequest);
                        break;
                    case Envelope.PayloadOneofCase.PairingCode:
                        pairingCode = envelope.PairingCode.Code;
                        LastPairingCode = pairingCode;
                        PairingCodesShown++;
                        break;
                    case Envelope.PayloadOneofCase.Configuration:
                        Configure(envelope.Configuration);
                        break;
                    case Envelope.PayloadOneofCase.Command:
                        Execute(envelope.Command);
                        break;
                    case Envelope.PayloadOneofCase.ServiceHealth:
                        DisplayedHealth = envelope.ServiceHealth;
                        break;
                    case Envelope.PayloadOneofCase.Destination:
                        Offer(envelope.Destination);
                        break;
                    case Envelope.PayloadOneofCase.AppointmentStatus:
                        shown = Show(envelope.AppointmentStatus);
                        break;
                    case Envelope.PayloadOneofCase.BreakdownDataRequest:
                        AnswerBreakdownDataRequest(envelope.BreakdownDataRequest);
                        break;
                    case Envelope.PayloadOneofCase.LiveDiagnosisRequest:
                        AnswerLiveDiagnosis(envelope.LiveDiagnosisRequest);
                        break;
                    case Envelope.PayloadOneofCase.UpdateOffer:
                        OnUpdateOffer(envelope.UpdateOffer);
                        break;
                    case Envelope.PayloadOneofCase.MapOffer:
                        OnMapOffer(envelope.MapOffer);
                        break;
                    case Envelope.PayloadOneofCase.BreakdownStatus:
                        shown = Show(envelope.BreakdownStatus);
                        break;
                    default:
                        break; // not meant for a car, or from a newer protocol: acked and ignored
                }
                if (envelope.Seq != 0)
                {
                    LastServerSeq = envelope.Seq;
                    _pendingAck = envelope.Seq;
                }
            }
        }
        if (shown is not null)
        {
            Log(shown);
        }
        if (pairingCode is not null)
        {
            _options.Output?.WriteLine($"VIN {Vin} shows pairing code {pairingCode}");
            PairingCodeShown?.Invoke(this, pairingCode);
        }
        Flush();
        return duplicate;
    }

    /// <summary>ON_REQUEST with the same request id: the requested signals the car supports, or all of them. Under the lock.</summary>
    private void AnswerDataRequest(DataRequest request) =>
        Report(Trigger.OnRequest, request.SignalIds.Count == 0 ? SupportedSignals : request.SignalIds, request.RequestId, withPrivacy: true);
}
