"""A real SMTP peer for the e-mail channel's tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a free port, prints {"port": N} once it listens, then one JSON line per received message:
{"from": ..., "to": [...], "data": "<the message as received>"}. Recipients decide the answer: busy@… gets
451 (temporary), nobody@… gets 550 (permanent). Exits when its standard input closes.
"""
import asyncio
import json
import sys

from aiosmtpd.smtp import SMTP


class Recorder:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "busy":
            return "451 4.3.0 Mailbox busy, try again later"
        if local == "nobody":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
        }), flush=True)
        return "250 2.0.0 Message accepted"


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Recorder(), hostname="smtp.test", enable_SMTPUTF8=True),
                                      host="127.0.0.1", port=0)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
