"""Baselines the benchmarks compare against, run in a process of their own."""

# The bare baseline: what any aiohttp catch-all costs, with nothing stored or printed.
# It binds port 0 itself and reports the port once the site is accepting, so there is no race.
BARE_SERVER = """
import socket, sys
from aiohttp import web

async def handler(request):
    await request.read()
    return web.Response(text="ok")

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]

def ready(*_args, **_kwargs):
    sys.stdout.write(f"Listening on http://127.0.0.1:{port}/\\n")
    sys.stdout.flush()

app = web.Application()
app.router.add_route("*", "/{tail:.*}", handler)
web.run_app(app, sock=sock, print=ready, access_log=None, handle_signals=True)
"""
