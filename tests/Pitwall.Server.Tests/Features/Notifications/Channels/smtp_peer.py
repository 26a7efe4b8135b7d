"""A real SMTP peer for the e-mail channel's tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a free port, prints {"port": N} once it listens, then one JSON line per received message:
{"from": ..., "to": [...], "data": "<the message as received>", "tls": true|false, "login": "<user>"|null}.
Recipients decide the answer: busy@… gets 451 (temporary), nobody@… gets 550 (permanent). Exits when its standard
input closes.

Options: --cert FILE --key FILE (PEM) offer STARTTLS and require it before anything else; with --implicit-tls the
connection is TLS from the first byte instead (SMTPS). --login USER:PASSWORD requires AUTH with these credentials.
"""
import argparse
import asyncio
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


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
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
        }), flush=True)
        return "250 2.0.0 Message accepted"


def authenticator_for(login):
    user, password = login.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate


async def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--cert")
    arguments.add_argument("--key")
    arguments.add_argument("--implicit-tls", action="store_true")
    arguments.add_argument("--login")
    options = arguments.parse_args()
    context = None
    if options.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.cert, options.key)
    settings = {"hostname": "smtp.test", "enable_SMTPUTF8": True}
    if context and not options.implicit_tls:
        settings.update(tls_context=context, require_starttls=True)
    if options.login:
        # On an implicit-TLS connection aiosmtpd does not know it is encrypted: allow AUTH there.
        settings.update(authenticator=authenticator_for(options.login), auth_required=True,
                        auth_require_tls=not options.implicit_tls)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Recorder(), **settings), host="127.0.0.1", port=0,
                                      ssl=context if options.implicit_tls else None)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
