"""Baselines the benchmarks compare against, run in a process of their own."""

# Binds port 0 itself and reports the port once the site is accepting, so there is no race.
_RUN = """
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]

def ready(*_args, **_kwargs):
    sys.stdout.write(f"Listening on http://127.0.0.1:{port}/\\n")
    sys.stdout.flush()

app.router.add_route("*", "/{tail:.*}", handler)
web.run_app(app, sock=sock, print=ready, access_log=None, handle_signals=True)
"""

# The bare baseline: what any aiohttp catch-all costs, with nothing stored or printed.
BARE_SERVER = (
    """
import socket, sys
from aiohttp import web

async def handler(request):
    await request.read()
    return web.Response(text="ok")

app = web.Application()
"""
    + _RUN
)

# The bare reverse proxy: an aiohttp server relaying each request through one kept-alive
# aiohttp client to the URL in argv[1] and answering with the target's status, headers and
# body; nothing stored, nothing checked. What forwarding costs with no capture around it.
BARE_PROXY = (
    """
import socket, sys
from aiohttp import ClientSession, web
from multidict import CIMultiDict

TARGET = sys.argv[1].rstrip("/")
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}

async def handler(request):
    body = await request.read()
    headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP]
    url = TARGET + request.raw_path
    async with app["client"].request(request.method, url, headers=headers, data=body) as answer:
        data = await answer.read()
        out = CIMultiDict((k, v) for k, v in answer.headers.items() if k.lower() not in HOP)
        return web.Response(status=answer.status, headers=out, body=data)

async def client(app):
    app["client"] = ClientSession(auto_decompress=False, skip_auto_headers=("User-Agent",))
    yield
    await app["client"].close()

app = web.Application()
app.cleanup_ctx.append(client)
"""
    + _RUN
)
