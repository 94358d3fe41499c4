"""The network between the browser and the stack, as a switch a test can turn off.

A TCP relay on a port of its own forwards every connection to the stack's nginx. Turned
off, it closes the connections it carries and resets every new one at once: nothing the
page or its service worker sends reaches the stack, whatever Chrome's network emulation
does (which is per target, so it misses a service worker's own fetches unless told
separately, and lags behind a reload). The browser opens the app at `url`, an origin of
its own (its own storage and service worker); the session cookie, set for the host,
works on both ports.
"""
import socket
import struct
import threading
from urllib.parse import urlsplit


class NetworkSwitch:
    def __init__(self, base):
        target = urlsplit(base)
        self.target = (target.hostname, target.port or 80)
        self.listener = socket.create_server(('127.0.0.1', 0), backlog=128)
        self.url = f'{target.scheme}://127.0.0.1:{self.listener.getsockname()[1]}'
        self.online = True
        self.closed = False
        self.lock = threading.Lock()
        self.open = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def turn_off(self):
        with self.lock:
            self.online = False
            cut, self.open = self.open, set()
        for s in cut:
            _reset(s)

    def turn_on(self):
        with self.lock:
            self.online = True

    def close(self):
        self.closed = True
        self.turn_off()
        self.listener.close()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                online = self.online
            if not online:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self.lock:
                self.open.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            src.close()  # each socket is the source of one pump
            with self.lock:
                self.open.discard(src)


def _reset(sock):
    """Closes with a TCP reset (the browser sees a failed connection, not an empty answer)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        sock.close()
    except OSError:
        pass
