"""An independent Standard Webhooks implementation (hmac, base64, hashlib only) to check the server's signatures.

Reads one JSON request on standard input:
  {"mode": "sign", "secret": "whsec_…", "id": …, "timestamp": …, "body": …}  -> prints "v1,<base64>"
  {"mode": "verify", … , "signature": "v1,… v1,…"}                        -> prints "valid" or "invalid"
"""
import base64
import hashlib
import hmac
import json
import sys

request = json.load(sys.stdin)
secret = request["secret"]
if secret.startswith("whsec_"):
    secret = secret[len("whsec_"):]
key = base64.b64decode(secret)
signed = f"{request['id']}.{request['timestamp']}.{request['body']}".encode("utf-8")
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")

if request["mode"] == "sign":
    print("v1," + expected)
else:
    candidates = [s.split(",", 1)[1] for s in request["signature"].split(" ") if s.startswith("v1,")]
    print("valid" if any(hmac.compare_digest(c, expected) for c in candidates) else "invalid")
