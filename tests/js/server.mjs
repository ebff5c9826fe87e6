// Real peers for wasio's WebSocket and fetch tests, on 127.0.0.1 only.
//
// Usage: node server.mjs PORT
// Prints "ready PORT" once listening; exits on SIGTERM.
//
// HTTP (CORS-enabled, so a test page on another port may call it):
//   GET  /stream?size=N&chunk=C&delay=MS  N bytes (byte i = i % 251) in C-byte writes, MS apart
//   POST /echo                            echoes the request body; x-echo-header mirrors x-test
//   GET  /forever?id=X                    1 KiB every 20 ms until the client goes away
//   GET  /disconnects?id=X                how many /forever?id=X clients went away early (JSON)
// WebSocket:
//   /echo                                 echoes every message back (binary stays binary)
//   /close?code=C&count=K                 sends K 1000-byte messages, then closes with code C
//   /drop?count=K                         sends K messages, then destroys the TCP socket (1006)
import http from "node:http";
import net from "node:net";
import { WebSocketServer } from "ws";

const port = Number(process.argv[2] || 18765);
const disconnects = new Map();

function pattern(start, len) {
  const b = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) b[i] = (start + i) % 251;
  return b;
}

function cors(res) {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-headers", "*");
  res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader("access-control-expose-headers", "x-echo-header, x-total");
  res.setHeader("cross-origin-resource-policy", "cross-origin");
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  cors(res);
  if (req.method === "OPTIONS") {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === "/stream") {
    const size = Number(url.searchParams.get("size") || 1 << 20);
    const chunk = Number(url.searchParams.get("chunk") || 65536);
    const delay = Number(url.searchParams.get("delay") || 0);
    res.writeHead(200, { "content-type": "application/octet-stream", "x-total": String(size) });
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      if (sent >= size) return res.end();
      const n = Math.min(chunk, size - sent);
      const ok = res.write(pattern(sent, n));
      sent += n;
      const go = () => (delay ? setTimeout(next, delay) : setImmediate(next));
      if (ok) go(); else res.once("drain", go);
    };
    next();
    return;
  }
  if (url.pathname === "/echo" && req.method === "POST") {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => {
      const body = Buffer.concat(parts);
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "x-echo-header": req.headers["x-test"] || "",
      });
      res.end(body);
    });
    return;
  }
  if (url.pathname === "/forever") {
    const id = url.searchParams.get("id") || "";
    res.writeHead(200, { "content-type": "application/octet-stream" });
    let finished = false;
    const timer = setInterval(() => res.write(pattern(0, 1024)), 20);
    res.write(pattern(0, 1024));
    res.on("close", () => {
      clearInterval(timer);
      if (!finished) disconnects.set(id, (disconnects.get(id) || 0) + 1);
    });
    res.on("finish", () => { finished = true; });
    return;
  }
  if (url.pathname === "/disconnects") {
    const id = url.searchParams.get("id") || "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id, count: disconnects.get(id) || 0 }));
    return;
  }
  res.writeHead(404);
  res.end("not found");
});

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const count = Number(url.searchParams.get("count") || 0);
    if (url.pathname === "/echo") {
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    } else if (url.pathname === "/close") {
      for (let i = 0; i < count; i++) ws.send(pattern(i * 1000, 1000));
      ws.close(Number(url.searchParams.get("code") || 1000), "test close");
    } else if (url.pathname === "/text") {
      for (let i = 0; i < count; i++) ws.send(`text frame ${i}: h\u00e9llo\n`);
      ws.close(1000, "done");
    } else if (url.pathname === "/drop") {
      for (let i = 0; i < count; i++) ws.send(pattern(i * 1000, 1000));
      setTimeout(() => ws.terminate(), 50);
    } else {
      ws.close(4404, "no such path");
    }
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`ready ${server.address().port}`);
});
server.on("error", (e) => {
  console.error(`test peer server: ${e.message}`);
  process.exit(1);
});
process.on("SIGTERM", () => process.exit(0));
