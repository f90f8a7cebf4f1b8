"""Qt-free core: capture, storage, bodies and formats; runs on any asyncio loop."""
